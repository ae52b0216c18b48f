import pytest

from till.devices import CashDrawer, PoleDisplay, SerialTransport, TcpTransport, read_printer_status

from .fake_printer import FakeNetworkPrinter

pytestmark = pytest.mark.timeout(10)


@pytest.fixture
def printer_with(request):
    printers = []

    def make(statuses):
        printer = FakeNetworkPrinter(statuses)
        printers.append(printer)
        transport = TcpTransport("127.0.0.1", printer.port, timeout=2)
        transport.open()
        request.addfinalizer(transport.close)
        return printer, transport

    yield make
    for p in printers:
        p.close()


def test_the_pole_display_bytes_arrive_exactly_over_a_serial_line(pty_pair):
    transport = SerialTransport(pty_pair.path)
    transport.open()
    try:
        PoleDisplay(transport).show_total("12.30")
    finally:
        transport.close()
    expected = b"\x0c\x0bTOTAL          12.30\x1f$\x01\x02" + b" " * 20
    assert pty_pair.receive(len(expected)) == expected


def test_printer_status_over_tcp_reports_paper_out_and_cover_open(printer_with):
    printer, transport = printer_with({1: 0x1E, 2: 0x36, 3: 0x12, 4: 0x72})
    status = read_printer_status(transport, timeout=2)
    assert not status.online and status.cover_open and status.paper_out
    assert status.drawer_pin3_high
    assert bytes(printer.received) == b"\x10\x04\x01\x10\x04\x02\x10\x04\x03\x10\x04\x04"


def test_the_drawer_is_kicked_through_the_printer_and_reports_open(printer_with):
    printer, transport = printer_with({1: 0x16})
    drawer = CashDrawer(transport, pin=5)
    drawer.kick()
    assert drawer.is_open(timeout=2)
    assert bytes(printer.received) == b"\x1bp\x01\x19\xfa\x10\x04\x01"


def test_a_printer_that_never_answers_gives_a_clear_error_in_bounded_time(printer_with):
    from till.devices import StatusError

    _, transport = printer_with({})
    with pytest.raises(StatusError, match="no answer to DLE EOT 1"):
        read_printer_status(transport, timeout=0.3)
