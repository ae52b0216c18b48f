"""Customers at the till (merge rule 8), on a real ledger file and the real window offscreen:
search by name or phone, create, attach to a sale, earn points; HQ's versions and balance."""

import pytest

from shared.events import parse_payload
from shared.hlc import Timestamp
from shared.money import Money
from shared.wire import Change
from tests.fixtures.till import BREAD, COFFEE, DEVICE_ID, MILK, STORE_ID
from till.customers import CustomerError, CustomerService, points_earned
from till.ledger.journal import all_events
from till.ledger.master_data import apply_change
from till.ledger.sales import receipt_row
from till.ui.main_window import MainWindow
from till.ui.qt import Qt


def facts(till_or_ledger, type_):
    ledger = getattr(till_or_ledger, "ledger", till_or_ledger)
    return [parse_payload(e.type, e.schema_version, e.payload)
            for e in all_events(ledger.connection()) if e.type == type_]


def hq_customer(ledger, cursor, **data):
    change = Change(cursor=cursor, kind="customer", data={"phone": "", "email": "",
                                                          "points_balance": 0, "counted_seq": {},
                                                          **data})
    with ledger.transaction() as uow:
        apply_change(uow, change, STORE_ID)


def names(found):
    return [c.name for c in found]


@pytest.fixture
def customers(till_ledger):
    service = CustomerService(till_ledger)
    for name, phone in (("Ann Lee", "+44 20 7946 0018"), ("Annabel Ross", "07700 900123"),
                        ("Joanna Kay", "")):
        service.create(name, phone, saved_by="Ana")
    return service


def test_customers_are_found_by_any_name_word_start_or_by_phone_digits(customers):
    assert names(customers.search("ann")) == ["Ann Lee", "Annabel Ross"]
    assert names(customers.search("ross")) == ["Annabel Ross"]
    assert names(customers.search("ann le")) == ["Ann Lee"]
    assert names(customers.search("+44 20 79")) == ["Ann Lee"]
    assert names(customers.search("07700-9")) == ["Annabel Ross"]
    assert customers.search("jo OR ann") == [] and customers.search("  ") == []


def test_a_new_customer_is_a_journal_fact_and_bad_details_store_nothing(customers, till_ledger):
    saved = facts(till_ledger, "CustomerSaved")
    assert [(s.name, s.saved_by, s.store_id) for s in saved][0] == ("Ann Lee", "Ana", STORE_ID)
    for bad in ({"name": " "}, {"name": "Bo", "phone": "ring me"}, {"name": "Bo", "email": "x"}):
        with pytest.raises(CustomerError):
            customers.create(**bad)
    assert len(facts(till_ledger, "CustomerSaved")) == 3


def test_a_customer_from_another_store_arrives_with_hq_balance(till_ledger, customers):
    hq_customer(till_ledger, 900, customer_id="c-other", name="Cy Diaz", phone="0712 345",
                hlc="001700000000000.000000.other", points_balance=140)
    (found,) = customers.search("0712")
    assert (found.name, found.points) == ("Cy Diaz", 140)


def test_hq_counts_this_tills_postings_once_and_older_versions_lose(till_ledger, customers):
    ann = customers.search("ann lee")[0]
    sales = till_sales(till_ledger)
    basket = sales.new_basket()
    basket.add(catalog(till_ledger).lookup(COFFEE["sku"]))  # €8.99: 8 points
    sale = sales.complete_sale(basket, Money(1000, "EUR"), "Ana")
    assert sale.points_earned == 0  # no customer, no points
    done = sales.complete_sale_with_tenders(basket, [tender(899)], "Ana",
                                            customer_id=ann.customer_id)
    assert done.points_earned == 8 and customers.get(ann.customer_id).points == 8

    posting_seq = done.event.seq + 1  # journaled right after its sale
    older = "000000000000001.000000.hq"
    hq_customer(till_ledger, 901, customer_id=ann.customer_id, name="Old Name", hlc=older,
                points_balance=58, counted_seq={DEVICE_ID: posting_seq})
    now = customers.get(ann.customer_id)
    assert (now.name, now.points) == ("Ann Lee", 58)  # HQ counted the 8 in its 58
    hq_customer(till_ledger, 902, customer_id=ann.customer_id, name="Ann Lee-Smith",
                hlc=Timestamp(4_000_000_000_000, 0, "hq").encode(), points_balance=50, counted_seq={})
    now = customers.get(ann.customer_id)
    assert (now.name, now.points) == ("Ann Lee-Smith", 58)  # 50 + this till's 8 not yet counted
    assert names(customers.search("smith")) == ["Ann Lee-Smith"]


def test_points_are_one_per_whole_currency_unit():
    assert [points_earned(m, "EUR") for m in (0, 99, 100, 899, 12345)] == [0, 0, 1, 8, 123]
    assert points_earned(500, "JPY") == 500


# --- the window -----------------------------------------------------------------------------


def catalog(ledger):
    from till.sale import Catalog

    return Catalog(ledger)


def till_sales(ledger):
    from till.sale import SaleService

    return SaleService(ledger)


def tender(amount):
    from shared.events import Tender

    return Tender("cash", amount)


@pytest.fixture
def window(till, qtbot):
    win = MainWindow(till.presenter_factory(), lambda: None, till.identity())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.scan_input.setFocus()
    return win


def typed(qtbot, field, text, enter=True):
    field.clear()
    qtbot.keyClicks(field, text)
    if enter:
        qtbot.keyClick(field, Qt.Key_Return)


def pay_cash(qtbot, window, amount):
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    typed(qtbot, window.tender_input, amount)


def customer_bar_text(window):
    return window.findChild(type(window.message_label), "customerLabel").text()


def test_a_customer_found_with_ctrl_l_is_attached_and_earns_points_on_the_sale(qtbot, window,
                                                                             till):
    CustomerService(till.ledger).create("Ann Lee", "0712 345 678")
    typed(qtbot, window.scan_input, COFFEE["sku"])
    typed(qtbot, window.scan_input, BREAD["sku"])
    qtbot.keyClick(window.scan_input, Qt.Key_L, Qt.ControlModifier)
    page = window.customer_page
    assert window.pages.currentWidget() is page
    qtbot.keyClicks(page.search_input, "0712 3")  # found as it is typed
    assert page.list.count() == 1 and "Ann Lee" in page.list.item(0).text()
    qtbot.keyClick(page.search_input, Qt.Key_Return)
    assert window.pages.currentWidget() is window.sale_page
    assert customer_bar_text(window) == "Customer Ann Lee · 0 points"

    pay_cash(qtbot, window, "20")
    assert "11 points earned" in window.message_label.text()  # €8.99 + €2.49 = €11.48
    (sale,) = facts(till, "SaleCompleted")
    (posted,) = facts(till, "LoyaltyPosted")
    assert sale.customer_id == posted.customer_id != ""
    assert (posted.delta, posted.reason, posted.sale_id, posted.receipt_no) == (
        11, "earn", sale.sale_id, sale.receipt_no)
    assert customer_bar_text(window).startswith("No customer")  # the next sale starts without
    printed = receipt_row(till.ledger.connection(), sale.sale_id)["text"]
    assert "Customer: Ann Lee · +11 points, 11 in all" in printed

    typed(qtbot, window.scan_input, MILK["sku"])
    pay_cash(qtbot, window, "5")
    assert "customer_id" not in facts(till, "SaleCompleted")[-1].to_payload()
    assert "Customer:" not in receipt_row(till.ledger.connection(),
                                          facts(till, "SaleCompleted")[-1].sale_id)["text"]


def test_a_new_customer_made_from_a_phone_search_is_saved_and_attached(qtbot, window, till):
    qtbot.keyClick(window.scan_input, Qt.Key_L, Qt.ControlModifier)
    page = window.customer_page
    qtbot.keyClicks(page.search_input, "07700 900123")
    assert "No customer found" in page.message_label.text()
    qtbot.keyClick(page.search_input, Qt.Key_N, Qt.ControlModifier)
    assert page.phone_input.text() == "07700 900123" and page.name_input.hasFocus()
    typed(qtbot, page.email_input, "bo@example", enter=False)
    typed(qtbot, page.name_input, "Bo Chan")  # Enter saves
    assert window.pages.currentWidget() is window.sale_page
    assert "Bo Chan saved and attached" in window.message_label.text()
    (saved,) = facts(till, "CustomerSaved")
    assert (saved.name, saved.phone, saved.email) == ("Bo Chan", "07700 900123", "bo@example")
    assert customer_bar_text(window) == "Customer Bo Chan · 0 points"


def test_a_customer_without_a_name_is_refused_on_the_form_and_esc_goes_back(qtbot, window, till):
    qtbot.keyClick(window.scan_input, Qt.Key_L, Qt.ControlModifier)
    page = window.customer_page
    qtbot.keyClick(page.search_input, Qt.Key_N, Qt.ControlModifier)
    qtbot.keyClick(page.name_input, Qt.Key_Return)
    assert page.message_label.text() == "Type the customer's name"
    assert facts(till, "CustomerSaved") == []
    qtbot.keyClick(page.name_input, Qt.Key_Escape)
    assert page.search_input.isVisible()
    qtbot.keyClick(page.search_input, Qt.Key_Escape)
    assert window.pages.currentWidget() is window.sale_page
    assert customer_bar_text(window).startswith("No customer")


def test_the_customer_button_opens_the_screen(qtbot, window):
    bar_button = next(b for b in window.findChildren(type(window.pay_button))
                      if b.text() == "Customer (Ctrl+L)")
    qtbot.mouseClick(bar_button, Qt.LeftButton)
    assert window.pages.currentWidget() is window.customer_page


def balance_of(till, name):
    (found,) = CustomerService(till.ledger).search(name)
    return found.points


def attach(qtbot, window, query):
    qtbot.keyClick(window.scan_input, Qt.Key_L, Qt.ControlModifier)
    qtbot.keyClicks(window.customer_page.search_input, query)
    qtbot.keyClick(window.customer_page.search_input, Qt.Key_Return)


def test_points_pay_part_of_a_sale_and_earn_only_on_the_rest(qtbot, window, till):
    ann = CustomerService(till.ledger).create("Ann Lee")
    hq_customer(till.ledger, 950, customer_id=ann.customer_id, name="Ann Lee",
                hlc="999999999999999.000000.hq", points_balance=300)  # €3.00 to spend
    typed(qtbot, window.scan_input, COFFEE["sku"])  # €8.99
    attach(qtbot, window, "ann")
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    qtbot.keyClick(window.tender_input, Qt.Key_L, Qt.ControlModifier | Qt.ShiftModifier)
    assert "300 points taken — €5.99 more needed" in window.message_label.text()
    assert window.payment_panel.isVisible()
    qtbot.keyClick(window.tender_input, Qt.Key_L, Qt.ControlModifier | Qt.ShiftModifier)
    assert "no points to spend" in window.message_label.text()
    typed(qtbot, window.tender_input, "10")

    (sale,) = facts(till, "SaleCompleted")
    assert [(t.kind, t.amount_minor) for t in sale.tenders] == [("points", 300), ("cash", 1000)]
    assert [(p.delta, p.reason) for p in facts(till, "LoyaltyPosted")] == [(-300, "redeem"),
                                                                           (5, "earn")]
    assert balance_of(till, "ann") == 5  # 300 - 300 + 5 earned on the €5.99 paid in cash


def test_points_cannot_pay_without_a_customer_or_before_paying(qtbot, window, till):
    typed(qtbot, window.scan_input, MILK["sku"])
    qtbot.keyClick(window.scan_input, Qt.Key_L, Qt.ControlModifier | Qt.ShiftModifier)
    assert "Attach the customer first" in window.message_label.text()
    CustomerService(till.ledger).create("Bo Chan")
    attach(qtbot, window, "bo")
    qtbot.keyClick(window.scan_input, Qt.Key_L, Qt.ControlModifier | Qt.ShiftModifier)
    assert "Press F12 to pay first" in window.message_label.text()


def test_a_return_gives_back_the_points_it_refunds_and_takes_back_what_its_goods_earned(
        till_ledger):
    from shared.events import Tender
    from till.returns import ReturnService
    from till.sale.overrides import OverrideService
    from till.staff import Session

    service = CustomerService(till_ledger)
    ann = service.create("Ann Lee")
    hq_customer(till_ledger, 960, customer_id=ann.customer_id, name="Ann Lee",
                hlc="999999999999999.000000.hq", points_balance=100)
    sales = till_sales(till_ledger)
    basket = sales.new_basket()
    basket.add(catalog(till_ledger).lookup(COFFEE["sku"]), 2)  # 2 x €8.99 = €17.98
    sale = sales.complete_sale_with_tenders(basket, [Tender("points", 100), Tender("cash", 1698)],
                                            "Ana", customer_id=ann.customer_id)
    assert sale.points_earned == 16 and service.get(ann.customer_id).points == 16

    returns = ReturnService(till_ledger, OverrideService(till_ledger))
    for _ in range(2):  # one coffee, then the other
        draft = returns.find(sale.receipt_no)
        draft.lines[0].quantity = 1
        returns.complete(draft, "changed_mind", Session("Ana"))

    adjusts = [p.delta for p in facts(till_ledger, "LoyaltyPosted") if p.reason == "adjust"]
    # first return: €8.99, refunded €1.00 in points (+100) and €7.99 cash (7 points back);
    # second: €8.99 cash; €16.98 paid back in all earned 16, so 9 more come off
    assert adjusts == [100, -7, -9]
    assert service.get(ann.customer_id).points == 100  # as before the sale


def test_a_parked_sale_keeps_its_customer_when_recalled(qtbot, window, till):
    ann = CustomerService(till.ledger).create("Ann Lee", "0712 345 678")
    presenter = window.presenter
    typed(qtbot, window.scan_input, COFFEE["sku"])
    presenter.customers.search("Ann")
    assert presenter.customers.attach(0)
    assert presenter.parked.park()
    assert customer_bar_text(window).startswith("No customer")  # the next sale starts with nobody

    presenter.parked.open()
    assert presenter.parked.recall(0)

    assert customer_bar_text(window) == "Customer Ann Lee · 0 points"
    pay_cash(qtbot, window, "20")
    sale = facts(till, "SaleCompleted")[-1]
    assert sale.customer_id == ann.customer_id
