import os
import time

import pytest

from till.devices import Connection, ScanQueue, SerialScanner

from .conftest import Pty

pytestmark = pytest.mark.timeout(15)


def start(path, **kwargs):
    scanner = SerialScanner(str(path), 9600, retry_initial=0.05, retry_max=0.2, **kwargs)
    scans = ScanQueue()
    scanner.start(scans)
    return scanner, scans.queue


def test_codes_written_in_pieces_and_in_bulk_arrive_as_scans_with_affixes_stripped(pty_pair):
    scanner, scans = start(pty_pair.path, prefix="<", suffix=">")
    try:
        assert scanner.wait_for(Connection.CONNECTED, 3)
        pty_pair.send(b"<400638")
        pty_pair.send(b"1333931>\r<96385074>\r<]C1010950110153")
        pty_pair.send(b"0003>\r")
        got = [scans.get(timeout=2).code for _ in range(3)]
    finally:
        scanner.stop()
    assert got == ["4006381333931", "96385074", "]C10109501101530003"]
    assert scanner.state().connection is Connection.DISCONNECTED


def eventually(condition, timeout=2.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_a_scanner_unplugged_and_plugged_back_is_reported_and_reconnected(tmp_path):
    link = tmp_path / "scanner"  # a stable name (like /dev/serial/by-id/...) that comes and goes
    states = []
    scanner = SerialScanner(str(link), retry_initial=0.05, retry_max=0.2, on_state=states.append)
    scans = ScanQueue()
    scanner.start(scans)
    first = second = None
    try:
        assert eventually(lambda: "No such file" in scanner.state().message)
        first = Pty()
        os.symlink(first.path, link)
        assert scanner.wait_for(Connection.CONNECTED, 3)
        first.send(b"96385074\r")
        assert scans.queue.get(timeout=2).code == "96385074"

        first.close()  # unplugged
        link.unlink()
        assert scanner.wait_for(Connection.DISCONNECTED, 3)

        second = Pty()
        os.symlink(second.path, link)
        assert scanner.wait_for(Connection.CONNECTED, 3)
        second.send(b"4006381333931\r")
        assert scans.queue.get(timeout=2).code == "4006381333931"
    finally:
        scanner.stop()
        for pty in (first, second):
            if pty:
                pty.close()
    kinds = [s.connection for s in states]
    assert kinds[:4] == [Connection.DISCONNECTED, Connection.CONNECTED, Connection.DISCONNECTED,
                         Connection.CONNECTED]
    assert "No such file" in states[0].message


def test_a_listener_that_raises_does_not_stop_the_scanner(pty_pair):
    seen = []

    def flaky(scan):
        seen.append(scan.code)
        if len(seen) == 1:
            raise RuntimeError("bug in the sale screen")

    scanner = SerialScanner(pty_pair.path, retry_initial=0.05)
    scanner.start(flaky)
    try:
        assert scanner.wait_for(Connection.CONNECTED, 3)
        pty_pair.send(b"96385074\r")
        pty_pair.send(b"036000291452\r")
        assert eventually(lambda: len(seen) == 2)
    finally:
        scanner.stop()
    assert seen == ["96385074", "036000291452"]
