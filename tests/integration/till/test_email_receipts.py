"""Email receipts end to end on this machine: a real ledger file, a fake SMTP server on
127.0.0.1 (the world outside, faked), the sender thread, and the real window offscreen."""

from __future__ import annotations

import json
import stat
import time

import pytest

from shared.events import Tender
from tests.fixtures.till import BREAD, COFFEE, MILK
from till.customers import CustomerService
from till.email import (
    EmailReceipts,
    EmailWorker,
    SmtpSettings,
    load_smtp_settings,
    save_smtp_settings,
)
from till.email.records import emails_for_sale
from till.ledger import Ledger
from till.ledger.sales import receipt_row
from till.paths import ledger_path
from till.sale import Catalog, SaleService
from till.staff import Session
from till.ui.app import close_window, open_window
from till.ui.email_presenter import EmailReceiptPresenter
from till.ui.qt import QApplication, QLineEdit, Qt

from .conftest import sell
from .fake_smtp import FakeSmtp, free_port

pytestmark = pytest.mark.timeout(60)
FAST = (0.05, 0.2)  # backoff for tests: first retry after 50 ms, at most 200 ms apart


@pytest.fixture
def smtp():
    server = FakeSmtp().start()
    yield server
    server.stop()


def settings_for(port: int) -> SmtpSettings:
    return SmtpSettings("127.0.0.1", port, "none", from_address="receipts@tillhq.test",
                        timeout_s=2.0)


def lines_with(text: str, *labels: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.startswith(labels)]


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_a_sales_receipt_arrives_with_its_number_in_the_subject_and_the_printed_totals(
        till_ledger, smtp):
    sale = sell(till_ledger, MILK["barcodes"][0], COFFEE["barcodes"][0], cash_minor=2000)
    queued = EmailReceipts(till_ledger).queue(sale.sale_id, "ann@example.com")
    worker = EmailWorker(till_ledger, settings_for(smtp.port), backoff=FAST)
    worker.start()
    try:
        [message] = smtp.wait_for(1)
    finally:
        worker.stop()
    assert message["Subject"] == f"Your receipt {sale.receipt_no} from TillHQ Test Store"
    assert message["To"] == "ann@example.com" and message["From"] == "receipts@tillhq.test"
    printed = receipt_row(till_ledger.connection(), sale.sale_id)["text"]
    text = message.get_body(("plain",)).get_content()
    totals = ("TOTAL", "Cash tendered", "Change")
    assert lines_with(text, *totals) == lines_with(printed, *totals)
    assert [ln.split() for ln in lines_with(text, "TOTAL")] == [["TOTAL", "€10.18"]]
    html = message.get_body(("html",)).get_content()
    assert "€10.18" in html and "€9.82" in html and sale.receipt_no in html
    [row] = emails_for_sale(till_ledger.connection(), sale.sale_id)
    assert row.email_id == queued.email_id and row.sent_at is not None and row.last_error is None


def test_with_the_server_down_receipts_wait_retry_and_arrive_after_a_restart(till_data_dir,
                                                                             till_ledger):
    port = free_port()  # nothing listens here yet: the mail server is down
    first = sell(till_ledger, MILK["barcodes"][0])
    second = sell(till_ledger, BREAD["barcodes"][0])
    receipts = EmailReceipts(till_ledger)
    receipts.queue(first.sale_id, "ann@example.com")
    receipts.queue(second.sale_id, "bob@example.com")
    worker = EmailWorker(till_ledger, settings_for(port), backoff=FAST)
    outcome = worker.send_due()
    assert (outcome.sent, outcome.failed) == (0, 2) and "127.0.0.1" in outcome.error
    worker.start()  # keeps retrying on its own, backing off
    wait_until(lambda: all(r.attempts >= 3 for r in
                           emails_for_sale(till_ledger.connection(), first.sale_id)))
    worker.stop()
    counts = receipts.counts()
    assert (counts.waiting, counts.failing) == (2, 2) and "refused" in counts.last_error.lower()
    till_ledger.close()  # the till is restarted while the server is still down

    smtp = FakeSmtp(port).start()  # ... and the server comes up
    try:
        with Ledger.open(ledger_path(till_data_dir)) as reopened:
            assert EmailReceipts(reopened).counts().waiting == 2  # nothing lost
            worker = EmailWorker(reopened, settings_for(port), backoff=FAST)
            worker.start()
            try:
                messages = smtp.wait_for(2)
                wait_until(lambda: EmailReceipts(reopened).counts().waiting == 0)
            finally:
                worker.stop()
            assert sorted(m["To"] for m in messages) == ["ann@example.com", "bob@example.com"]
            assert {m["Subject"].split()[2] for m in messages} == {first.receipt_no,
                                                                   second.receipt_no}
            [row] = emails_for_sale(reopened.connection(), first.sale_id)
            assert row.sent_at is not None and row.attempts >= 4
    finally:
        smtp.stop()


def test_when_the_network_returns_waiting_receipts_go_without_sitting_out_the_backoff(
        till_ledger):
    port = free_port()
    sale = sell(till_ledger, MILK["barcodes"][0])
    EmailReceipts(till_ledger).queue(sale.sale_id, "ann@example.com")
    network = {"online": False}
    worker = EmailWorker(till_ledger, settings_for(port), online=lambda: network["online"],
                         backoff=(3600.0, 3600.0), idle_s=0.05)
    assert worker.send_due().failed == 1  # next try in an hour
    smtp = FakeSmtp(port).start()
    worker.start()
    try:
        time.sleep(0.3)
        assert smtp.messages == []  # still backing off
        network["online"] = True  # the sync agent sees HQ again
        smtp.wait_for(1, timeout=5)
    finally:
        worker.stop()
        smtp.stop()


def test_a_recipient_the_server_refuses_stays_queued_and_the_others_still_go(till_ledger, smtp):
    smtp.refuse_domains.add("nowhere.test")
    sale = sell(till_ledger, MILK["barcodes"][0])
    receipts = EmailReceipts(till_ledger)
    receipts.queue(sale.sale_id, "ghost@nowhere.test")
    receipts.queue(sale.sale_id, "ann@example.com")
    outcome = EmailWorker(till_ledger, settings_for(smtp.port), backoff=FAST).send_due()
    assert (outcome.sent, outcome.failed) == (1, 1)
    assert [m["To"] for m in smtp.wait_for(1)] == ["ann@example.com"]
    refused, sent = emails_for_sale(till_ledger.connection(), sale.sale_id)
    assert refused.sent_at is None and "550" in refused.last_error
    assert "ghost@nowhere.test" in refused.last_error and sent.sent_at is not None


def test_the_customers_email_is_offered_for_their_sale(till_ledger):
    ann = CustomerService(till_ledger).create("Ann Lee", "0712 345", "ann@example.com")
    basket = SaleService(till_ledger).new_basket()
    basket.add(Catalog(till_ledger).lookup(MILK["barcodes"][0]))
    sale = SaleService(till_ledger).complete_sale_with_tenders(
        basket, [Tender("cash", 500)], "Ana", customer_id=ann.customer_id)
    receipts = EmailReceipts(till_ledger)
    assert receipts.customer_address(sale.sale_id) == "ann@example.com"
    assert receipts.customer_address(sell(till_ledger, MILK["barcodes"][0]).sale_id) == ""


# --- the window ----------------------------------------------------------------------------------

@pytest.fixture
def smtp_for_till():
    server = FakeSmtp()  # started by the test that needs it up
    yield server
    server.stop()


@pytest.fixture
def till_printer_spec(till_data_dir, smtp_for_till):
    """email.json in the data folder before the till starts, as a supervisor saved it."""
    (till_data_dir / "email.json").write_text(json.dumps(
        {"host": "127.0.0.1", "port": smtp_for_till.port, "security": "none",
         "from_address": "receipts@tillhq.test"}))
    return "none"


@pytest.fixture
def window(till, qtbot):
    app = QApplication.instance()
    win = open_window(till, app)
    qtbot.addWidget(win)
    win.show()
    yield win
    close_window(win, app)


def pay_cash(window, qtbot, *codes: str) -> None:
    for code in codes:
        qtbot.keyClicks(window.scan_input, code)
        qtbot.keyClick(window.scan_input, Qt.Key_Return)
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    window.tender_input.setText("20")
    qtbot.keyClick(window.tender_input, Qt.Key_Return)
    assert window.presenter.state.message.startswith("Sale complete")


def test_the_cashier_emails_the_receipt_by_keyboard_and_it_arrives(window, qtbot, till,
                                                                   smtp_for_till):
    pay_cash(window, qtbot, MILK["barcodes"][0], BREAD["barcodes"][0])
    receipt_no = window.presenter.state.last_receipt_no
    assert window.email_button.isVisible() and window.email_button.text() == "Email receipt (Ctrl+E)"
    qtbot.keyClick(window.scan_input, Qt.Key_E, Qt.ControlModifier)
    page = window.email_page
    assert window.pages.currentWidget() is page
    assert page.receipt_input.text() == receipt_no and page.address_input.hasFocus()
    page.address_input.setText("ann@example.com")  # typed (qtbot types at scanner speed)
    qtbot.keyClick(page.address_input, Qt.Key_Return)
    assert window.pages.currentWidget() is window.sale_page and window.scan_input.hasFocus()
    assert window.message_label.text() == (f"Receipt {receipt_no} queued for ann@example.com — "
                                           "it goes out within seconds")
    status = window.findChild(type(window.email_page.message_label), "emailStatus")
    status.refresh()
    assert status.text().startswith("✉ 1 email waiting") and status.isVisible()
    smtp_for_till.start()
    till.email_worker.start()
    [message] = smtp_for_till.wait_for(1)
    assert message["Subject"] == f"Your receipt {receipt_no} from TillHQ Test Store"
    assert "€3.68" in message.get_body(("plain",)).get_content()
    qtbot.waitUntil(lambda: not status.isVisible(), timeout=5000)


def test_a_bad_address_is_refused_on_screen_and_the_sale_stays(window, qtbot, till):
    pay_cash(window, qtbot, MILK["barcodes"][0])
    sale_id = window.presenter.last_sale.sale_id
    window.email_button.click()
    page = window.email_page
    page.address_input.setText("ann.example.com")
    qtbot.keyClick(page.address_input, Qt.Key_Return)
    assert window.pages.currentWidget() is page  # still asking
    assert page.message_label.text() == ("“ann.example.com” is not an email address — it needs "
                                         "exactly one @ and no spaces, e.g. ann@example.com — "
                                         "nothing was sent")
    assert emails_for_sale(till.ledger.connection(), sale_id) == []
    assert till.ledger.connection().execute("SELECT count(*) FROM sales WHERE sale_id = ?",
                                             (sale_id,)).fetchone()[0] == 1
    qtbot.keyClick(page.address_input, Qt.Key_Escape)
    assert window.pages.currentWidget() is window.sale_page


def test_an_earlier_receipt_is_emailed_by_scanning_its_barcode(window, qtbot, till):
    pay_cash(window, qtbot, MILK["barcodes"][0])
    earlier = window.presenter.state.last_receipt_no
    pay_cash(window, qtbot, BREAD["barcodes"][0])
    qtbot.keyClick(window.scan_input, Qt.Key_E, Qt.ControlModifier)
    page = window.email_page
    window.scan_from_device("S001-NOPE-000999")
    assert page.message_label.text().startswith("No receipt “S001-NOPE-000999” on this till")
    window.scan_from_device(earlier)  # the receipt's CODE128, read by the scanner
    assert page.receipt_input.text() == earlier and window.presenter.basket.is_empty()
    page.address_input.setText("bob@example.com")
    qtbot.keyClick(page.address_input, Qt.Key_Return)
    sale_id = till.ledger.connection().execute("SELECT sale_id FROM sales WHERE receipt_no = ?",
                                               (earlier,)).fetchone()[0]
    [row] = emails_for_sale(till.ledger.connection(), sale_id)
    assert row.address == "bob@example.com" and earlier in row.subject


def test_a_supervisor_sets_the_mail_server_and_the_password_is_never_shown(window, qtbot, till,
                                                                           till_data_dir):
    qtbot.keyClick(window.scan_input, Qt.Key_E, Qt.ControlModifier | Qt.ShiftModifier)
    assert window.message_label.text() == ("Email settings are for a supervisor or manager — "
                                           "Ana is a cashier")
    window.presenter.start_session(Session("Sam", "supervisor"))
    qtbot.keyClick(window.scan_input, Qt.Key_E, Qt.ControlModifier | Qt.ShiftModifier)
    page = window.email_settings_page
    assert window.pages.currentWidget() is page and page.fields["host"].hasFocus()
    password = page.fields["password"]
    assert isinstance(password, QLineEdit) and password.echoMode() == QLineEdit.EchoMode.Password
    page.fields["host"].setText("smtp.example.com")
    page.fields["port"].setText("587")
    page.fields["security"].setCurrentText("starttls")
    page.fields["username"].setText("shop")
    password.setText("s3cret")
    qtbot.keyClick(page.fields["host"], Qt.Key_S, Qt.ControlModifier)
    assert page.message_label.text().startswith("Saved — receipts go through smtp.example.com:587")
    saved = json.loads((till_data_dir / "email.json").read_text())
    assert saved["password"] == "s3cret" and saved["username"] == "shop"
    assert stat.S_IMODE((till_data_dir / "email.json").stat().st_mode) == 0o600
    assert till.email_worker.settings.host == "smtp.example.com"
    assert password.text() == "" and password.placeholderText() == "saved — leave blank to keep"
    page.fields["port"].setText("x")
    qtbot.keyClick(page.fields["port"], Qt.Key_S, Qt.ControlModifier)
    assert page.message_label.text().startswith("Not saved: Port “x”")
    assert json.loads((till_data_dir / "email.json").read_text())["port"] == 587
    qtbot.keyClick(page.fields["port"], Qt.Key_Escape)
    assert window.pages.currentWidget() is window.sale_page


def test_the_attached_customers_email_is_prefilled(window, qtbot, till):
    CustomerService(till.ledger).create("Ann Lee", "0712 345", "ann@example.com")
    customers = window.presenter.customers
    customers.open()
    customers.search("Ann")
    assert customers.attach(0)
    pay_cash(window, qtbot, MILK["barcodes"][0])
    qtbot.keyClick(window.scan_input, Qt.Key_E, Qt.ControlModifier)
    page = window.email_page
    assert page.address_input.text() == "ann@example.com"
    assert page.message_label.text() == "Check the address and press Enter to send"
    qtbot.keyClick(page.address_input, Qt.Key_Return)
    [row] = emails_for_sale(till.ledger.connection(), window.presenter.last_sale.sale_id)
    assert row.address == "ann@example.com"


def test_with_no_mail_server_set_up_receipts_wait_and_the_status_bar_says_why(till, smtp_for_till):
    presenter = till.presenter_factory()
    email = EmailReceiptPresenter(till.email, presenter, EmailWorker(till.ledger, SmtpSettings()))
    sale = sell(till.ledger, MILK["barcodes"][0])
    presenter.last_sale = sale
    assert email.status_text() == ""
    assert email.open() and email.state.receipt_no == sale.receipt_no
    assert email.submit(sale.receipt_no, "ann@example.com")
    assert presenter.state.message.endswith("it waits until a supervisor sets up the mail server "
                                            "(Ctrl+Shift+E)")
    assert email.status_text() == "✉ 1 email waiting — no mail server set up (Ctrl+Shift+E)"
    assert email.worker.send_due().sent == 0 and till.email.counts().waiting == 1


def test_a_broken_settings_file_is_said_and_nothing_is_sent(tmp_path):
    (tmp_path / "email.json").write_text('{"host": "smtp.example.com", "port": "five"}')
    settings, problems = load_smtp_settings(tmp_path)
    assert not settings.configured
    assert problems == ["email.json ignored — Port “five” is not a port number — usually 587 "
                        "(STARTTLS), 465 (SSL) or 25; Type the From address receipts are sent "
                        "from, e.g. receipts@yourshop.com; email receipts wait until it is fixed"]
    saved = SmtpSettings("smtp.example.com", 465, "ssl", "shop", "pw", "shop@example.com")
    save_smtp_settings(tmp_path, saved)
    assert load_smtp_settings(tmp_path) == (saved, [])
