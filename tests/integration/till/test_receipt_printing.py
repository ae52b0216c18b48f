import socket
import threading

import pytest

from till.ledger.sales import receipt_row
from till.receipt import PrintQueue, ReceiptPrinter, printer_from_spec
from till.sale import SaleService

from .conftest import sell

INIT, CUT = b"\x1b@", b"\x1dV\x01"


class TcpPrinter:
    """A receipt printer on 127.0.0.1: accepts connections and keeps every byte it receives."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.received = bytearray()
        self.done = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        with conn:
            while chunk := conn.recv(65536):
                self.received += chunk
        self.done.set()

    def close(self) -> None:
        self.sock.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def service(ledger, spec):
    return SaleService(ledger, PrintQueue(ReceiptPrinter(ledger, printer_from_spec(spec, timeout=2))))


def test_a_receipt_prints_to_a_network_printer_over_tcp(till_ledger):
    printer = TcpPrinter()
    sale = sell(till_ledger, "MILK-1L", "COFFEE-500", sales=service(till_ledger, f"tcp:127.0.0.1:{printer.port}"))
    assert sale.printing.result(timeout=5).printed
    assert printer.done.wait(5)
    data = bytes(printer.received)
    assert data.startswith(INIT) and data.endswith(CUT)
    assert sale.receipt_no.encode() in data
    assert receipt_row(till_ledger.connection(), sale.sale_id)["printed_at"] is not None
    printer.close()


def test_a_receipt_prints_to_a_file_or_device_node(till_ledger, tmp_path):
    device = tmp_path / "lp0"
    sales = service(till_ledger, f"file:{device}")
    first = sell(till_ledger, "MILK-1L", sales=sales)
    second = sell(till_ledger, "BREAD-WHITE", sales=sales)
    assert first.printing.result(5).printed and second.printing.result(5).printed
    data = device.read_bytes()
    assert data.count(INIT) == 2 and data.count(CUT) == 2  # appended, in order
    assert data.index(first.receipt_no.encode()) < data.index(second.receipt_no.encode())


def test_a_printer_that_is_off_keeps_the_sale_and_queues_the_receipt_for_reprint(till_ledger, tmp_path):
    port = free_port()  # nothing listens: connection refused, like a printer switched off
    sales = service(till_ledger, f"tcp:127.0.0.1:{port}")
    sale = sell(till_ledger, "MILK-1L", sales=sales)
    result = sale.printing.result(timeout=5)
    assert not result.printed and "is it switched on" in result.error
    conn = till_ledger.connection()
    assert conn.execute("SELECT count(*) FROM sales").fetchone()[0] == 1
    row = receipt_row(conn, sale.sale_id)
    assert row["printed_at"] is None and "unreachable" in row["last_error"]

    printer = TcpPrinter.__new__(TcpPrinter)  # the printer is switched on, on the same port
    printer.sock = socket.create_server(("127.0.0.1", port))
    printer.port, printer.received, printer.done = port, bytearray(), threading.Event()
    threading.Thread(target=printer._serve, daemon=True).start()
    assert sales.reprint().result(timeout=5).printed
    assert printer.done.wait(5) and sale.receipt_no.encode() in printer.received
    row = receipt_row(conn, sale.sale_id)
    assert row["printed_at"] is not None and row["last_error"] is None and row["attempts"] == 2
    printer.close()


def test_no_printer_configured_still_completes_the_sale(till_ledger):
    sale = sell(till_ledger, "MILK-1L", sales=service(till_ledger, "none"))
    assert not sale.printing.result(5).printed
    assert "S001-0001-000001" in sale.receipt_text
    assert bytes(receipt_row(till_ledger.connection(), sale.sale_id)["escpos"]).startswith(INIT)


@pytest.mark.timeout(30)
def test_a_slow_printer_does_not_block_the_sale(till_ledger):
    silent = socket.create_server(("127.0.0.1", 0), backlog=0)  # accepts, never reads? no: never accepts
    sales = service(till_ledger, f"tcp:127.0.0.1:{silent.getsockname()[1]}")
    import time

    started = time.monotonic()
    sale = sell(till_ledger, "MILK-1L", sales=sales)
    assert time.monotonic() - started < 1.0
    assert sale.event.seq == 1
    sale.printing.result(timeout=10)
    silent.close()
