"""Shifts on a real ledger file: float, paid in/out, drops, X and Z, each one transaction."""

import pytest

from shared.events import SaleCompleted, Tender, parse_payload
from shared.money import Money
from till.ledger import Ledger
from till.ledger.journal import all_events
from till.receipt import FilePrinter, PrintQueue, ReceiptPrinter
from till.sale import Basket, Catalog, SaleService
from till.shift import ShiftError, ShiftService, cash_count

from .conftest import sell

EUR = "EUR"


def eur(minor):
    return Money(minor, EUR)


def table_count(ledger, table):
    return ledger.connection().execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture
def shifts(till_ledger):
    return ShiftService(till_ledger)


def test_a_float_counted_by_denomination_opens_a_shift_with_its_event_and_row(shifts, till_ledger):
    shift = shifts.open_shift(cash_count(EUR, by_denomination={"2000": 3, "500": 4, "50": 0}), "Ana")
    assert shift.float_minor == 8000 and shifts.current() == shift
    [event] = all_events(till_ledger.connection())
    opened = parse_payload(event.type, event.schema_version, event.payload)
    assert (opened.shift_id, opened.float_by_denomination) == (shift.shift_id, {"2000": 3, "500": 4})
    with pytest.raises(ShiftError, match="already open"):
        shifts.open_shift(cash_count(EUR, amount=eur(100)), "Ana")


def test_sales_record_the_open_shift_and_x_totals_by_tender_kind(shifts, till_ledger):
    shift = shifts.open_shift(cash_count(EUR, amount=eur(10000)), "Ana")
    sell(till_ledger, "COFFEE-500", cash_minor=2000)  # 8.99, change 11.01
    basket = Basket(EUR)
    basket.add(Catalog(till_ledger).lookup("BREAD-WHITE"))  # 2.49: 1.00 card + 1.49 cash... +0.51
    sale = SaleService(till_ledger).complete_sale_with_tenders(
        basket, [Tender("card", 100, "CARD-1"), Tender("cash", 200)], "Ana")
    assert sale.shift_id == shift.shift_id and sale.change == eur(51)
    shifts.record_movement("paid_in", eur(500), "float top-up", "Sam")
    shifts.record_movement("paid_out", eur(350), "window cleaner", "Ana")
    shifts.record_movement("drop", eur(5000), "", "Ana")
    x = shifts.x_report("Ana")
    assert (x.sums.sales_count, x.sums.sales_total_minor) == (2, 899 + 249)
    assert x.sums.tender_totals == {"card": 100, "cash": 2200}
    # 100.00 float + 22.00 cash - 11.52 change + 5.00 in - 3.50 out - 50.00 drop
    assert x.expected_cash == eur(10000 + 2200 - 1152 + 500 - 350 - 5000) == eur(6198)
    assert shifts.current() is not None  # X leaves the shift open


def test_z_records_expected_counted_and_short_to_the_cent_and_closes(shifts, till_ledger, tmp_path):
    printed = tmp_path / "printer.bin"
    queue = PrintQueue(ReceiptPrinter(till_ledger, FilePrinter(printed)))
    shifts = ShiftService(till_ledger, queue)
    shift = shifts.open_shift(cash_count(EUR, amount=eur(5000)), "Ana")
    sell(till_ledger, "MILK-1L", cash_minor=500)  # 1.19, change 3.81 → drawer 51.19
    closed = shifts.close_shift(cash_count(EUR, by_denomination={"5000": 1, "100": 1, "10": 1,
                                                                  "5": 1, "2": 1}), "Mia")
    assert closed.printing.result(5).printed
    queue.close()
    event = closed.event
    assert (event.expected_cash_minor, event.counted_cash_minor, event.over_short_minor) == (
        5119, 5117, -2)
    assert shifts.current() is None
    row = till_ledger.connection().execute(
        "SELECT closed_by, over_short_minor FROM shifts WHERE shift_id = ?", (shift.shift_id,)).fetchone()
    assert tuple(row) == ("Mia", -2)
    assert "SHORT" in closed.text and "-€0.02" in closed.text and "Expected in drawer" in closed.text
    data = printed.read_bytes()
    assert data.startswith(b"\x1b@\x1bt\x13") and b"Z REPORT" in data and data.endswith(b"\x1dV\x01")
    assert [e.type for e in all_events(till_ledger.connection())][-1] == "ShiftClosed"
    with pytest.raises(ShiftError, match="No shift is open"):
        shifts.record_movement("drop", eur(100), "", "Ana")


def test_a_failing_projection_leaves_neither_the_event_nor_the_row(shifts, till_ledger, monkeypatch):
    import till.shift.service as service

    def broken(uow, movement, seq):
        raise RuntimeError("disk on fire")

    shifts.open_shift(cash_count(EUR, amount=eur(1000)), "Ana")
    monkeypatch.setattr(service, "record_cash_movement", broken)
    with pytest.raises(RuntimeError):
        shifts.record_movement("paid_out", eur(100), "milk", "Ana")
    assert len(all_events(till_ledger.connection())) == 1
    assert table_count(till_ledger, "cash_movements") == 0


def test_an_open_shift_survives_a_restart(till_ledger):
    shift = ShiftService(till_ledger).open_shift(cash_count(EUR, amount=eur(2500)), "Ana")
    path = till_ledger.path
    till_ledger.close()
    with Ledger.open(path) as reopened:
        assert ShiftService(reopened).current() == shift


def test_a_card_cannot_overpay_and_old_sale_payloads_still_parse(till_ledger):
    basket = Basket(EUR)
    basket.add(Catalog(till_ledger).lookup("MILK-1L"))
    with pytest.raises(Exception, match="only cash gives change"):
        SaleService(till_ledger).complete_sale_with_tenders(basket, [Tender("card", 500)], "Ana")
    sale = sell(till_ledger, "MILK-1L")
    payload = dict(sale.event.payload)
    del payload["shift_id"]
    assert SaleCompleted.from_payload(payload).shift_id == ""
