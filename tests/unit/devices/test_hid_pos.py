import pytest

from till.devices import Connection, HidPosDecoder, HidPosScanner, RecordedHidTransport, ScanQueue
from till.devices.hid import HidUnavailable

pytestmark = pytest.mark.timeout(10)


def report(data: bytes, aim: bytes = b"]E0", more: bool = False, report_id: int = 0x02) -> bytes:
    body = bytes([report_id, len(data)]) + aim.ljust(3, b"\0") + data
    return body.ljust(63, b"\0") + bytes([0x01 if more else 0x00])


def test_a_report_decodes_to_the_aim_identifier_and_the_code():
    assert HidPosDecoder().feed(report(b"4006381333931")) == ("]E0", "4006381333931")


def test_continued_reports_are_joined_into_one_scan():
    decoder = HidPosDecoder()
    first = b"0109501101530003" + b"10" + b"A" * 40
    assert decoder.feed(report(first, b"]C1", more=True)) is None
    assert decoder.feed(report(b"BC", b"]C1")) == ("]C1", first.decode() + "BC")


def test_reports_with_another_id_or_too_short_are_ignored():
    decoder = HidPosDecoder()
    assert decoder.feed(report(b"123", report_id=0x04)) is None
    assert decoder.feed(b"\x02\x01") is None


def test_the_scanner_turns_recorded_reports_into_scans_and_reconnects_after_an_unplug():
    states = []
    transport = RecordedHidTransport([report(b"96385074", b"]E4"), OSError("device unplugged"),
                                      report(b"036000291452")])
    scanner = HidPosScanner(transport, on_state=states.append, retry_initial=0.01)
    scans = ScanQueue()
    scanner.start(scans)
    try:
        first, second = scans.queue.get(timeout=2), scans.queue.get(timeout=2)
    finally:
        scanner.stop()
    assert (first.text, second.text) == ("]E496385074", "]E0036000291452")
    assert [s.connection for s in states] == [Connection.CONNECTED, Connection.DISCONNECTED,
                                             Connection.CONNECTED, Connection.DISCONNECTED]
    assert states[1].message == "device unplugged"


def test_missing_hidapi_is_reported_as_an_error_state_not_raised():
    class NoHid(RecordedHidTransport):
        def open(self):
            raise HidUnavailable("USB HID scanners need the hidapi package")

    scanner = HidPosScanner(NoHid([]), retry_initial=5)
    scanner.start(lambda scan: None)
    assert scanner.wait_for(Connection.ERROR, 2)
    assert "hidapi" in scanner.state().message
    scanner.stop()
