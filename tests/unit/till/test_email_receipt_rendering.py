"""Email receipts without a server: address checks, the email's subject and bodies, the SMTP
settings form, and the retry backoff."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

import pytest

from shared.events import SaleCompleted, SaleLine, SaleTax, Tender
from till.email import InvalidAddress, SmtpSettings, check_address
from till.email.compose import compose_receipt, render_html
from till.email.records import OutboxRow
from till.email.sender import build_message
from till.email.settings import form_from_settings, settings_from_form
from till.email.worker import backoff_ms
from till.receipt import Receipt, render_text

SALE = SaleCompleted(
    sale_id="s-1", store_id="st-1", receipt_no="S001-0195-000012", cashier="Ana",
    currency="EUR",
    lines=[SaleLine(1, "p-milk", "MILK-1L", "Milk 1L", 2, 119, 238),
           SaleLine(2, "p-tea", "TEA", "Tea <Earl Grey> & co", 1, 899, 899)],
    total_minor=1137, tenders=[Tender("card", 1137, "CARD-0042")], change_minor=0,
    completed_at_ms=int(datetime(2025, 3, 1, 14, 30).timestamp() * 1000))
RECEIPT = Receipt.from_sale(SALE, "TillHQ Corner Shop", "S001")


@pytest.mark.parametrize("typed, kept", [
    ("ann@example.com", "ann@example.com"),
    ("  Ann.Lee+receipts@Example.CO.UK ", "Ann.Lee+receipts@example.co.uk"),
    ("jo@müller.de", "jo@xn--mller-kva.de"),
])
def test_a_good_address_is_kept_with_its_domain_lower_cased(typed, kept):
    assert check_address(typed) == kept


@pytest.mark.parametrize("typed, says", [
    ("", "Type the customer's email address"),
    ("ann.example.com", "exactly one @"),
    ("ann@@example.com", "exactly one @"),
    ("ann lee@example.com", "no spaces"),
    ("ann@example", "is not a mail domain"),
    ("ann@example.123", "is not a mail domain"),
    (".ann@example.com", "the part before @"),
    ("ann@example.com\r\nBcc: x@evil.test", "no spaces"),
])
def test_a_bad_address_is_refused_with_what_is_wrong(typed, says):
    with pytest.raises(InvalidAddress, match=re.escape(says)):
        check_address(typed)


def test_the_subject_names_the_receipt_number_and_the_store():
    email = compose_receipt(RECEIPT)
    assert email.subject == "Your receipt S001-0195-000012 from TillHQ Corner Shop"
    training = compose_receipt(replace(RECEIPT, training=True))
    assert training.subject.startswith("[TRAINING] ")


def test_the_text_body_is_the_printed_receipts_text():
    assert compose_receipt(RECEIPT).text == render_text(RECEIPT)


def test_the_html_body_has_every_line_and_the_same_totals_escaped():
    html = render_html(RECEIPT)
    assert "Tea &lt;Earl Grey&gt; &amp; co" in html and "<Earl Grey>" not in html
    assert "2 x Milk 1L" in html and "@ €1.19 each" in html
    assert re.search(r'class="total".*?<td>TOTAL</td><td[^>]*>€11\.37</td>', html)
    assert "Card CARD-0042" in html and "S001-0195-000012" in html and "2025-03-01 14:30" in html


def test_a_tax_exclusive_receipt_shows_subtotal_tax_and_the_tax_table_in_html():
    sale = replace(SALE, prices_include_tax=False, taxes=[
        SaleTax("standard", 2000, 948, 189, 1137, "VAT")])
    html = render_html(Receipt.from_sale(sale, "Shop", "S001"))
    assert "<td>Subtotal</td>" in html and "VAT 20%" in html
    assert 'class="taxes"' in html and ">9.48<" in html and ">1.89<" in html


def test_the_message_has_a_text_part_and_an_html_alternative():
    row = OutboxRow("e-1", "s-1", "ann@example.com", "Your receipt X", "TOTAL €1.00\n",
                    "<p>TOTAL €1.00</p>", 0, None, 0, None)
    message = build_message(row, SmtpSettings("smtp.example.com", from_address="shop@example.com"))
    assert message["To"] == "ann@example.com" and message["From"] == "shop@example.com"
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("plain",)).get_content() == "TOTAL €1.00\n"
    assert message.get_body(("html",)).get_content().strip() == "<p>TOTAL €1.00</p>"


SAVED = SmtpSettings("smtp.example.com", 587, "starttls", "shop", "s3cret", "shop@example.com")


def test_the_settings_form_never_holds_the_password_and_blank_keeps_it():
    form = form_from_settings(SAVED)
    assert form["password"] == "" and form["host"] == "smtp.example.com"
    settings, errors = settings_from_form(form, SAVED)
    assert errors == [] and settings.password == "s3cret"
    settings, _ = settings_from_form({**form, "password": "n3w"}, SAVED)
    assert settings.password == "n3w"
    settings, _ = settings_from_form({**form, "username": ""}, SAVED)
    assert settings.username == "" and settings.password == ""


def test_settings_mistakes_are_sentences_naming_the_field():
    form = {**form_from_settings(SAVED), "port": "58x", "security": "tls", "from_address": "shop"}
    _, errors = settings_from_form(form, SAVED)
    assert any(e.startswith("Port “58x”") for e in errors)
    assert any(e.startswith("Security is one of starttls, ssl, none") for e in errors)
    assert any(e.startswith("From address:") for e in errors)
    _, errors = settings_from_form({**form_from_settings(SAVED), "from_address": ""}, SAVED)
    assert errors == ["Type the From address receipts are sent from, e.g. receipts@yourshop.com"]


def test_retries_back_off_doubling_up_to_the_cap():
    assert [backoff_ms(n, (30.0, 3600.0)) for n in (1, 2, 3, 8, 20)] == [
        30_000, 60_000, 120_000, 3_600_000, 3_600_000]
