"""58 mm paper gets 32-column receipts; the code page is the one configured."""

from datetime import datetime

from shared.money import Money
from till.devices.config import parse_device_config
from till.receipt import Receipt, ReceiptLayout, render_escpos, render_text
from till.receipt.model import ReceiptLine, ReceiptTender


def receipt():
    eur = Money(119, "EUR")
    return Receipt("Shop", "S001", "S001-0001-000001", "Ana", datetime(2024, 1, 1, 9, 0),
                   [ReceiptLine(1, "Milk 1L", eur, eur)], eur, Money(500, "EUR"),
                   Money(381, "EUR"), (ReceiptTender("cash", Money(500, "EUR")),))


def test_a_58mm_receipt_is_32_characters_wide_and_uses_its_code_page():
    layout = ReceiptLayout(32, "CP437")
    lines = render_text(receipt(), layout).splitlines()
    assert max(len(line) for line in lines) == 32
    assert "-" * 32 in lines and "-" * 33 not in "\n".join(lines)
    assert b"\x1bt\x00" in render_escpos(receipt(), layout)  # ESC t 0: CP437


def test_the_cut_is_partial_unless_devices_json_asks_for_a_full_one():
    partial = render_escpos(receipt(), ReceiptLayout())
    assert partial.endswith(b"\x1bd\x06\x1dV\x01")  # feed past the cutter, GS V 1: a tab holds it
    full = parse_device_config({"printer": {"spec": "none", "cut": "full"}}).printer
    assert render_escpos(receipt(), ReceiptLayout(cut=full.cut)).endswith(b"\x1dV\x00")
    refused = parse_device_config({"printer": {"spec": "none", "cut": "half"}})
    assert any("cut is partial or full, not 'half'" in p for p in refused.problems)
