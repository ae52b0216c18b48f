"""Tax per class, tax-inclusive or -exclusive stores and cash rounding, on a real ledger file.

Settings arrive the way they do in the field: a `store` change from HQ applied by the pull code.
Figures (standard 20 %, reduced 5.5 %; milk 1.19 standard, bread 2.49 standard, book 12.99 reduced):
exclusive: 2 milk 2.38 + tax 0.48, bread 2.49 + 0.50, book 12.99 + 0.71 -> 17.86 net, 19.55 total.
inclusive: the same shelf prices total 17.86, of which tax 0.40 + 0.42 + 0.68 = 1.50.
"""

from __future__ import annotations

import json
import re

import pytest
from PIL import Image

from shared.events import SaleCompleted, Tender, parse_payload
from shared.money import Money
from shared.override_events import ReturnCompleted
from shared.wire import Change, PullResponse
from tests.fixtures.till import BREAD, MILK, STORE_ID, product_change, seed_ledger
from till.bootstrap import build_till
from till.ledger import Ledger
from till.ledger.master_data import apply_change, apply_pull_page, pricing_rules
from till.ledger.sales import receipt_row
from till.paths import ledger_path
from till.receipt import Receipt, ReceiptLayout, render_escpos, render_text
from till.returns import ReturnService
from till.sale import Basket, Catalog, SaleError, SaleService, Underpayment
from till.sale.overrides import OverrideService
from till.sale.tender import FakePaymentTerminal, Payment
from till.staff import Session
from till.ui.main_window import MainWindow

from .conftest import sell

BOOK = {"product_id": "p-book", "sku": "BOOK-1", "name": "Paperback", "price_minor": 1299,
        "barcodes": [], "tax_class": "reduced"}
TOY = {"product_id": "p-toy", "sku": "TOY-1", "name": "Toy car", "price_minor": 500,
       "barcodes": [], "tax_class": "luxury"}
RATES = [{"tax_class": "standard", "name": "VAT", "rate_bp": 2000},
         {"tax_class": "reduced", "name": "VAT", "rate_bp": 550}]
BASKET = ("MILK-1L", "MILK-1L", "BREAD-WHITE", "BOOK-1")
EUR = "EUR"


def store_change(cursor: int = 500, **pricing) -> Change:
    return Change(cursor=cursor, kind="store",
                  data={"store_id": STORE_ID, "code": "S001", "name": "TillHQ Test Store",
                        "currency": EUR, **pricing})


def set_pricing(ledger, *, inclusive: bool = True, step: int = 1, rates=RATES) -> None:
    with ledger.transaction() as uow:
        apply_change(uow, product_change(400, BOOK), STORE_ID)
        apply_change(uow, product_change(401, TOY), STORE_ID)
        apply_change(uow, store_change(prices_include_tax=inclusive, cash_rounding_minor=step,
                                       tax_rates=rates), STORE_ID)


def basket_of(ledger, *codes: str) -> Basket:
    catalog, sales = Catalog(ledger), SaleService(ledger)
    basket = sales.new_basket()
    for code in codes:
        basket.add(catalog.lookup(code))
    return basket


def pay(ledger, basket: Basket, *tenders: Tender):
    return SaleService(ledger).complete_sale_with_tenders(basket, list(tenders), "Ana")


def amount(text: str) -> str:
    return text.split()[-1]


def total_line(receipt_text: str) -> str:
    return next(ln for ln in receipt_text.splitlines() if ln.startswith("TOTAL"))


# --- settings from HQ ----------------------------------------------------------------------------


def test_a_store_change_brings_rates_inclusive_flag_and_cash_rounding_into_the_ledger(till_ledger):
    assert not pricing_rules(till_ledger.connection()).taxed  # nothing set up yet: no tax
    set_pricing(till_ledger, inclusive=False, step=5)
    rules = pricing_rules(till_ledger.connection())
    assert (rules.prices_include_tax, rules.cash_rounding_minor) == (False, 5)
    assert {c: r.rate_bp for c, r in rules.rates.items()} == {"standard": 2000, "reduced": 550}


def test_a_store_change_without_pricing_keys_leaves_the_settings_alone(till_ledger):
    set_pricing(till_ledger, inclusive=False, step=5)
    page = PullResponse(changes=[store_change(501, name="Renamed")], next_cursor=501, has_more=False)
    with till_ledger.transaction() as uow:
        apply_pull_page(uow, page, STORE_ID)
    rules = pricing_rules(till_ledger.connection())
    assert (rules.prices_include_tax, rules.cash_rounding_minor, len(rules.rates)) == (False, 5, 2)
    assert till_ledger.require_store().store_name == "Renamed"


def test_a_later_store_change_replaces_the_rates(till_ledger):
    set_pricing(till_ledger)
    set_pricing(till_ledger, rates=[{"tax_class": "standard", "name": "VAT", "rate_bp": 2100}])
    assert {c: r.rate_bp for c, r in pricing_rules(till_ledger.connection()).rates.items()} == \
        {"standard": 2100}


# --- the sale event ------------------------------------------------------------------------------


def test_an_exclusive_store_adds_tax_per_line_and_records_the_breakdown(till_ledger):
    set_pricing(till_ledger, inclusive=False)
    basket = basket_of(till_ledger, *BASKET)
    assert basket.total == Money(1955, EUR)
    sale = pay(till_ledger, basket, Tender("cash", 2000))
    event = SaleCompleted.from_payload(sale.event.payload)
    assert sale.event.schema_version == SaleCompleted.SCHEMA_VERSION == 2
    assert [(ln.line_total_minor, ln.tax_class, ln.tax_minor) for ln in event.lines] == \
        [(238, "standard", 48), (249, "standard", 50), (1299, "reduced", 71)]
    assert [(t.tax_class, t.net_minor, t.tax_minor, t.gross_minor) for t in event.taxes] == \
        [("standard", 487, 98, 585), ("reduced", 1299, 71, 1370)]
    assert (event.total_minor, event.change_minor, event.prices_include_tax) == (1955, 45, False)


def test_an_inclusive_store_charges_the_shelf_prices_and_shows_the_tax_inside(till_ledger):
    set_pricing(till_ledger, inclusive=True)
    sale = pay(till_ledger, basket_of(till_ledger, *BASKET), Tender("card", 1786))
    event = SaleCompleted.from_payload(sale.event.payload)
    assert event.total_minor == 1786 == sum(ln.line_total_minor for ln in event.lines)
    assert [ln.tax_minor for ln in event.lines] == [40, 42, 68]
    assert sum(t.tax_minor for t in event.taxes) == 150


def test_a_product_in_a_class_the_store_has_no_rate_for_is_refused_in_words(till_ledger):
    set_pricing(till_ledger)
    with pytest.raises(SaleError, match="Toy car cannot be sold yet: .*no tax rate for tax "
                                        "class 'luxury'.*ask HQ"):
        basket_of(till_ledger, "TOY-1")


def test_a_schema_1_sale_from_an_older_till_still_parses_with_no_tax_and_no_rounding(till_ledger):
    sale = pay(till_ledger, basket_of(till_ledger, "MILK-1L"), Tender("cash", 200))
    payload = dict(sale.event.payload)
    for key in ("taxes", "rounding_minor", "prices_include_tax"):
        del payload[key]
    payload["lines"] = [{k: v for k, v in ln.items() if not k.startswith("tax")}
                        for ln in payload["lines"]]
    old = parse_payload("SaleCompleted", 1, payload)
    assert (old.taxes, old.rounding_minor, old.total_minor) == ([], 0, 119)


# --- cash rounding --------------------------------------------------------------------------------


@pytest.fixture
def swiss(till_ledger):
    """Inclusive prices, cash rounded to 0.05: the basket is 17.86, cash settles 17.85."""
    set_pricing(till_ledger, inclusive=True, step=5)
    return till_ledger


def test_cash_only_settles_the_rounded_amount_and_gives_change_from_it(swiss):
    sale = pay(swiss, basket_of(swiss, *BASKET), Tender("cash", 2000))
    event = SaleCompleted.from_payload(sale.event.payload)
    assert (event.total_minor, event.rounding_minor, event.change_minor) == (1786, -1, 215)
    assert sale.rounding == Money(-1, EUR)


def test_exact_rounded_cash_is_enough_and_a_cent_less_is_not(swiss):
    pay(swiss, basket_of(swiss, *BASKET), Tender("cash", 1785))
    with pytest.raises(Underpayment, match="€0.05 more needed"):
        pay(swiss, basket_of(swiss, *BASKET), Tender("cash", 1780))


def test_a_card_pays_the_exact_amount_with_no_rounding(swiss):
    event = SaleCompleted.from_payload(
        pay(swiss, basket_of(swiss, *BASKET), Tender("card", 1786)).event.payload)
    assert (event.rounding_minor, event.change_minor) == (0, 0)


def test_a_split_tender_rounds_only_the_part_paid_in_cash(swiss):
    card_then_cash = SaleCompleted.from_payload(pay(
        swiss, basket_of(swiss, *BASKET), Tender("card", 1000), Tender("cash", 800)).event.payload)
    assert (card_then_cash.rounding_minor, card_then_cash.change_minor) == (-1, 15)
    cash_then_card = SaleCompleted.from_payload(pay(
        swiss, basket_of(swiss, *BASKET), Tender("cash", 500), Tender("card", 1286)).event.payload)
    assert (cash_then_card.rounding_minor, cash_then_card.change_minor) == (0, 0)


def test_the_payment_shows_the_cash_due_rounded_and_the_card_due_exact():
    payment = Payment(Money(1786, EUR), 5)
    assert (payment.remaining, payment.cash_due) == (Money(1786, EUR), Money(1785, EUR))
    payment.add("card", Money(1000, EUR))
    assert (payment.remaining, payment.cash_due) == (Money(786, EUR), Money(785, EUR))
    payment.add("cash", Money(785, EUR))
    assert payment.is_paid() and payment.rounding == Money(-1, EUR)


# --- screen and receipt agree ---------------------------------------------------------------------


@pytest.fixture
def till_terminal():
    return FakePaymentTerminal()


@pytest.mark.parametrize(("inclusive", "step", "codes", "cash"), [
    (True, 1, BASKET, "20"),
    (False, 1, BASKET, "20"),
    (True, 5, BASKET, "20"),
    (False, 5, ("MILK-1L",) * 7 + ("BOOK-1",), "30"),
    (False, 10, ("BREAD-WHITE", "BOOK-1", "BOOK-1"), ""),
])
def test_the_screen_total_equals_the_receipt_total_line(till, inclusive, step, codes, cash):
    set_pricing(till.ledger, inclusive=inclusive, step=step)
    presenter = till.presenter_factory()
    for code in codes:
        assert presenter.scan(code), presenter.state.message
    screen_total = presenter.state.total_text
    assert presenter.begin_payment()
    assert presenter.tender_cash(cash), presenter.state.message  # "" = exact (rounded) cash
    receipt = presenter.last_sale.receipt_text
    assert amount(screen_total) == amount(total_line(receipt))
    assert screen_total == f"Total {presenter.last_sale.total}"


def test_the_screen_shows_the_tax_and_the_rounded_cash_due(till):
    set_pricing(till.ledger, inclusive=False, step=5)
    presenter = till.presenter_factory()
    for code in BASKET:
        presenter.scan(code)
    assert presenter.state.tax_text == "Subtotal €17.86 + tax €1.69"
    presenter.begin_payment()
    assert presenter.state.remaining_text == "Due €19.55"  # already a multiple of 0.05
    # A third milk joins its line: 3.57 + tax 0.71 (per line, not 3 x 0.24) -> 20.97, cash 20.95.
    assert presenter.scan_device("MILK-1L")
    assert presenter.state.remaining_text == "Due €20.97 (cash €20.95)"
    assert presenter.tender_card("")  # a card pays exactly
    assert presenter.last_sale.total == Money(2097, EUR) and presenter.last_sale.rounding.minor == 0


def test_the_window_shows_the_tax_under_the_total(till, qtbot):
    set_pricing(till.ledger, inclusive=True)
    window = MainWindow(till.presenter_factory(), lambda: {"online": False, "pending": 0,
                                                          "last_sync": None, "last_error": None})
    qtbot.addWidget(window)
    assert window.tax_label.isHidden()
    window.presenter.scan(MILK["sku"])
    window.presenter.scan(BREAD["sku"])
    assert window.total_label.text() == "Total €3.68"
    assert window.tax_label.text() == "incl. tax €0.62" and not window.tax_label.isHidden()


# --- the printed receipt --------------------------------------------------------------------------


def receipt_of(ledger, *tenders: Tender, inclusive=False, step=1) -> Receipt:
    set_pricing(ledger, inclusive=inclusive, step=step)
    sale = pay(ledger, basket_of(ledger, *BASKET), *tenders)
    store = ledger.require_store()
    return Receipt.from_sale(SaleCompleted.from_payload(sale.event.payload), store.store_name,
                             store.store_code)


def test_an_exclusive_receipt_prints_subtotal_tax_per_class_total_and_the_breakdown(till_ledger):
    text = render_text(receipt_of(till_ledger, Tender("cash", 2000)))
    lines = text.splitlines()
    assert re.search(r"^1 x Paperback +€12\.99 B$", text, re.M)  # two classes: lines are marked
    assert re.search(r"^2 x Milk 1L +€2\.38 A$", text, re.M)
    order = [next(i for i, ln in enumerate(lines) if ln.startswith(label))
             for label in ("Subtotal", "A VAT 20%", "B VAT 5.5%", "TOTAL")]
    assert order == sorted(order)
    assert lines[order[0]].endswith("€17.86") and lines[order[1]].endswith("€0.98")
    assert lines[order[2]].endswith("€0.71") and lines[order[3]].endswith("€19.55")
    assert re.search(r"^Tax +Net +Tax +Gross$", text, re.M)
    assert re.search(r"^A VAT 20% +4\.87 +0\.98 +5\.85$", text, re.M)
    assert re.search(r"^B VAT 5\.5% +12\.99 +0\.71 +13\.70$", text, re.M)
    assert "Cash rounding" not in text


def test_a_rounded_cash_receipt_prints_the_rounding_and_what_was_paid(till_ledger):
    text = render_text(receipt_of(till_ledger, Tender("cash", 2000), inclusive=True, step=5))
    assert re.search(r"^TOTAL +€17\.86$", text, re.M)
    assert re.search(r"^Cash rounding +-€0\.01$", text, re.M)
    assert re.search(r"^To pay +€17\.85$", text, re.M)
    assert re.search(r"^Change +€2\.15$", text, re.M)


def test_escpos_bytes_carry_the_tax_lines_and_the_receipt_number_as_a_native_qr(till_ledger):
    receipt = receipt_of(till_ledger, Tender("cash", 2000))
    data = render_escpos(receipt)
    assert b"A VAT 20%" in data and "€19.55".encode("cp858") in data
    number = receipt.receipt_no.encode()
    store = b"1P0" + number  # GS ( k <pL pH> cn=49 fn=80 m=48 data: store the QR's data
    assert b"\x1d(k" + bytes([len(store), 0]) + store in data
    assert b"\x1d(k\x03\x001Q0" in data  # ... and print it
    barcode_at = data.index(b"\x1dkI")  # after the CODE128 barcode, before the cut
    assert barcode_at < data.index(store) < data.rindex(b"\x1dV\x01")


@pytest.fixture
def logo_png(tmp_path):
    """Wider than any paper, with greys (so dithering has work to do) and a transparent edge."""
    image = Image.new("RGBA", (1000, 300), (0, 0, 0, 0))
    for x in range(40, 960):
        for y in range(40, 260):
            image.putpixel((x, y), (x % 256, 90, 40, 255))
    path = tmp_path / "logo.png"
    image.save(path)
    return path


def raster_header(data: bytes) -> tuple[int, int]:
    at = data.index(b"\x1dv0")  # GS v 0 m xL xH yL yH: width in bytes, height in dots
    x, y = data[at + 4] + 256 * data[at + 5], data[at + 6] + 256 * data[at + 7]
    return x, y


@pytest.mark.parametrize(("paper_mm", "columns", "width_bytes"), [(58, 32, 48), (80, 42, 72)])
def test_the_logo_prints_as_a_raster_image_no_wider_than_the_paper(
        till_ledger, logo_png, paper_mm, columns, width_bytes):
    layout = ReceiptLayout(columns, logo_path=str(logo_png), paper_mm=paper_mm)
    layout.check()
    set_pricing(till_ledger)
    sale = SaleService(till_ledger, layout=layout).complete_sale(
        basket_of(till_ledger, "MILK-1L"), Money(200, EUR), "Ana")
    data = bytes(receipt_row(till_ledger.connection(), sale.sale_id)["escpos"])
    assert data.startswith(b"\x1b@\x1bt\x13")  # init and code page still come first
    x, y = raster_header(data)
    assert (x, y) == (width_bytes, 300 * width_bytes * 8 // 1000)  # shape kept
    assert data.index(b"\x1dv0") < data.index(b"TillHQ Test Store")
    raster = data[data.index(b"\x1dv0") + 8:][: x * y]
    assert len(set(raster)) > 2  # dithered: more than solid black and white rows


def test_a_missing_logo_is_named_at_startup_and_left_off_the_receipt(till_ledger, tmp_path):
    layout = ReceiptLayout(logo_path=str(tmp_path / "nope.png"))
    with pytest.raises(ValueError, match="receipt logo .*nope.png"):
        layout.check()
    receipt = receipt_of(till_ledger, Tender("cash", 2000))
    data = render_escpos(receipt, layout)
    assert b"\x1dv0" not in data and b"TOTAL" in data


@pytest.mark.parametrize("logo_name", ["logo.png", "missing.png"])
def test_the_logo_named_in_devices_json_heads_the_tills_receipts(tmp_path, logo_png, logo_name):
    data_dir = tmp_path / "logo-till"
    data_dir.mkdir()
    with Ledger.open(ledger_path(data_dir)) as ledger:
        seed_ledger(ledger)
    (data_dir / "devices.json").write_text(json.dumps(
        {"printer": {"spec": "none", "paper_mm": 58, "logo": str(logo_png.parent / logo_name)}}))
    built = build_till(data_dir, cashier="Ana")
    try:
        sale = sell(built.ledger, "MILK-1L", sales=built.sales)
        data = bytes(receipt_row(built.ledger.connection(), sale.sale_id)["escpos"])
        problems = " ".join(built.hardware.problems)
        if logo_name == "logo.png":
            assert raster_header(data)[0] == 48 and "logo" not in problems
        else:
            assert b"\x1dv0" not in data and "missing.png" in problems
            assert "receipts print without the logo" in problems
    finally:
        built.close()


# --- returns where prices exclude tax -----------------------------------------------------------


def returns_of(ledger):
    return ReturnService(ledger, OverrideService(ledger))


def test_returning_units_in_an_exclusive_store_gives_back_their_tax_to_the_cent(till_ledger):
    set_pricing(till_ledger, inclusive=False)
    basket = basket_of(till_ledger, "BOOK-1", "MILK-1L", "MILK-1L", "MILK-1L")  # 3 x 1.19: tax 0.71
    sale = pay(till_ledger, basket, Tender("card", basket.total.minor, "CARD-1"))
    paid = SaleCompleted.from_payload(sale.event.payload)
    returns = returns_of(till_ledger)

    refunded = []
    for quantity in (1, 2):  # the milk back in two visits
        draft = returns.find(sale.receipt_no)
        milk = next(d for d in draft.lines if d.line.sku == "MILK-1L")
        milk.quantity = quantity
        done = returns.complete(draft, "changed_mind", Session("Ana"))
        event = ReturnCompleted.from_payload(done.to_payload())
        refunded.append((event.lines[0].line_total_minor, event.lines[0].tax_minor, event.total_minor))
    milk_line = next(ln for ln in paid.lines if ln.sku == "MILK-1L")

    assert milk_line.tax_minor == 71
    assert refunded == [(119, 23, 142), (238, 48, 286)]  # 71 * 1 // 3 = 23, then the rest
    assert sum(total for *_, total in refunded) == milk_line.line_total_minor + milk_line.tax_minor


def test_a_return_without_receipt_in_an_exclusive_store_refunds_todays_tax_too(till_ledger):
    set_pricing(till_ledger, inclusive=False)
    draft_line = returns_of(till_ledger).line_without_receipt(Catalog(till_ledger).lookup("BOOK-1"))
    assert (draft_line.line.unit_price_minor, draft_line.line.tax_back(1)) == (1299, 71)


def test_an_inclusive_stores_refund_is_the_shelf_price_alone(till_ledger):
    set_pricing(till_ledger, inclusive=True)
    basket = basket_of(till_ledger, "MILK-1L", "MILK-1L")
    sale = pay(till_ledger, basket, Tender("cash", 500))
    draft = returns_of(till_ledger).find(sale.receipt_no)
    draft.lines[0].quantity = 1
    assert draft.total == Money(119, EUR)
