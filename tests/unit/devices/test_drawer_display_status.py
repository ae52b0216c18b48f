import pytest

from till.devices import CashDrawer, PoleDisplay, RecordingTransport, kick_bytes, to_display
from till.devices.escpos_status import StatusError, read_printer_status

pytestmark = pytest.mark.timeout(10)
OK = {b"\x10\x04\x01": b"\x16", b"\x10\x04\x02": b"\x12", b"\x10\x04\x03": b"\x12",
      b"\x10\x04\x04": b"\x12"}


def test_the_drawer_kick_is_esc_p_with_the_pin_and_the_pulse_in_2ms_units():
    fake = RecordingTransport()
    CashDrawer(fake).kick()
    CashDrawer(fake, pin=5, on_ms=100, off_ms=200).kick()
    assert bytes(fake.written) == b"\x1bp\x00\x19\xfa" + b"\x1bp\x01\x32\x64"


def test_impossible_pulses_and_pins_are_refused():
    with pytest.raises(ValueError, match="pin 2 or pin 5"):
        kick_bytes(pin=3)
    with pytest.raises(ValueError, match="does not fit"):
        kick_bytes(on_ms=600, off_ms=600)


def test_a_serial_triggered_drawer_sends_its_trigger_and_cannot_report_state():
    fake = RecordingTransport()
    drawer = CashDrawer.serial_triggered(fake)
    drawer.kick()
    assert bytes(fake.written) == b"\x07"
    with pytest.raises(NotImplementedError):
        drawer.is_open()


def test_drawer_state_comes_from_dle_eot_1_bit_2_with_a_configurable_polarity():
    pin3_high = RecordingTransport({b"\x10\x04\x01": b"\x16"})
    pin3_low = RecordingTransport({b"\x10\x04\x01": b"\x12"})
    assert CashDrawer(pin3_high).is_open() is True
    assert CashDrawer(pin3_low).is_open() is False
    assert CashDrawer(pin3_low, open_when_pin3_high=False).is_open() is True
    assert bytes(pin3_high.written) == b"\x10\x04\x01"


def test_printer_status_reads_all_four_answers():
    replies = dict(OK) | {b"\x10\x04\x02": b"\x16", b"\x10\x04\x04": b"\x7e"}
    status = read_printer_status(RecordingTransport(replies))
    assert status.cover_open and status.paper_out and status.paper_near_end
    assert status.problems() == ["out of paper", "cover open", "paper running low"]


def test_a_healthy_printer_has_no_problems_and_silence_or_garbage_is_an_error():
    assert read_printer_status(RecordingTransport(OK)).problems() == []
    with pytest.raises(StatusError, match="no answer to DLE EOT 1"):
        read_printer_status(RecordingTransport())
    with pytest.raises(StatusError, match="not a status byte"):
        read_printer_status(RecordingTransport({b"\x10\x04\x01": b"A"}))


def test_the_pole_display_writes_two_lines_of_exactly_20_characters():
    fake = RecordingTransport()
    PoleDisplay(fake).show_item("Crème brûlée à la française", "€3.50", quantity=2)
    assert bytes(fake.written) == (b"\x0c\x0b" + b"Creme brulee a la fr" + b"\x1f$\x01\x02"
                                   + b"2 x          EUR3.50")


def test_total_and_change_put_the_amount_on_the_right():
    fake = RecordingTransport()
    display = PoleDisplay(fake)
    display.show_change("20.00", "4.35")
    assert bytes(fake.written) == (b"\x0c\x0b" + b"PAID           20.00" + b"\x1f$\x01\x02"
                                   + b"CHANGE          4.35")


def test_characters_the_display_cannot_show_are_replaced_visibly():
    assert to_display("Grüße 日本 ☕") == "Grusse ?? ?"
