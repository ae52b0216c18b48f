from datetime import datetime

from shared.events import SaleCompleted, SaleLine, Tender
from till.receipt import Receipt, render_escpos, render_text
from till.receipt.render import WIDTH
from till.sale import receipt_number

SALE = SaleCompleted(
    sale_id="s-1", store_id="st-1", receipt_no="S001-0195-000012", cashier="Ana",
    currency="EUR",
    lines=[SaleLine(1, "p-milk", "MILK-1L", "Milk 1L", 2, 119, 238),
           SaleLine(2, "p-coffee", "COFFEE", "Coffee beans 500g", 1, 899, 899)],
    total_minor=1137, tenders=[Tender("cash", 2000)], change_minor=863,
    completed_at_ms=int(datetime(2025, 3, 1, 14, 30).timestamp() * 1000))
RECEIPT = Receipt.from_sale(SALE, "TillHQ Corner Shop", "S001")


def test_the_receipt_number_is_store_till_and_zero_padded_journal_seq():
    device = "0195abcd-0000-7000-8000-00000000c2f9"
    assert receipt_number("S001", device, 12) == "S001-C2F9-000012"


def test_the_text_receipt_lists_lines_total_cash_change_cashier_number_and_date():
    text = render_text(RECEIPT)
    assert "TillHQ Corner Shop" in text
    assert "2 x Milk 1L" in text and "€2.38" in text and "@ €1.19 each" in text
    assert "1 x Coffee beans 500g" in text
    for label, amount in (("TOTAL", "€11.37"), ("Cash tendered", "€20.00"), ("Change", "€8.63")):
        assert any(ln.startswith(label) and ln.endswith(amount) for ln in text.splitlines())
    assert "Cashier: Ana" in text and "Receipt: S001-0195-000012" in text
    assert "2025-03-01 14:30" in text


def test_every_text_line_fits_the_paper_width():
    long = Receipt.from_sale(SALE, "TillHQ Corner Shop", "S001")
    assert all(len(line) <= WIDTH for line in render_text(long).splitlines())


def test_the_escpos_receipt_starts_with_init_selects_cp858_and_prints_euro_as_d5():
    data = render_escpos(RECEIPT)
    assert data.startswith(b"\x1b@\x1bt\x13")  # ESC @ init, ESC t 19 = CP858
    assert "€11.37".encode("cp858") in data and b"\xd511.37" in data


def test_the_escpos_receipt_has_bold_double_height_header_code128_and_a_cut():
    data = render_escpos(RECEIPT)
    assert b"\x1bE\x01" in data  # ESC E 1: bold on
    assert b"\x1b!\x10" in data  # ESC ! 0x10: double height (print mode bit 4)
    assert b"\x1dkI\x12{BS001-0195-000012" in data  # GS k 73 (CODE128), length 18, set B
    assert data.endswith(b"\x1dV\x01")  # GS V 1: partial cut (the default)


def test_accented_letters_and_currency_signs_print_and_the_rest_is_replaced_visibly():
    sale = SaleCompleted(
        sale_id="s-2", store_id="st-1", receipt_no="S001-0195-000013", cashier="Zoë",
        currency="EUR", lines=[SaleLine(1, "p-1", "CAFE", "Café Crème £ 抹茶", 1, 350, 350)],
        total_minor=350, tenders=[Tender("cash", 350)], change_minor=0,
        completed_at_ms=int(datetime(2025, 3, 1, 15, 0).timestamp() * 1000))
    data = render_escpos(Receipt.from_sale(sale, "TillHQ Corner Shop", "S001"))
    assert "Café Crème £".encode("cp858") in data  # é 0x82, è 0x8A, £ 0x9C in CP858
    assert b"\xd53.50" in data and "Zoë".encode("cp858") in data
    assert "Café Crème £ ??".encode("cp858") in data  # what CP858 lacks shows as "?", never vanishes
