from datetime import UTC, datetime

import pytest

from till.receipt import FilePrinter, NetworkPrinter, NoPrinter, printer_from_spec
from till.sync.backoff import Backoff
from till.ui.status_text import sync_status_text


def test_printer_specs_choose_file_tcp_or_none():
    assert isinstance(printer_from_spec("none"), NoPrinter)
    assert isinstance(printer_from_spec("file:/dev/usb/lp0"), FilePrinter)
    net = printer_from_spec("tcp:192.168.1.50:9100")
    assert isinstance(net, NetworkPrinter) and (net.host, net.port) == ("192.168.1.50", 9100)
    assert printer_from_spec("tcp:printer.local").port == 9100


@pytest.mark.parametrize("spec", ["usb:04b8", "tcp:host:port", "file:"])
def test_an_unknown_printer_spec_is_refused_with_the_accepted_forms(spec):
    with pytest.raises(ValueError, match="file:/path, tcp:host:port or none"):
        printer_from_spec(spec)


def test_backoff_grows_exponentially_up_to_its_cap_and_resets():
    backoff = Backoff(base=1, cap=8)
    delays = [backoff.next_delay() for _ in range(6)]
    assert 0.5 <= delays[0] <= 1 and 4 <= delays[5] <= 8
    backoff.reset()
    assert backoff.next_delay() <= 1


def test_the_status_bar_says_offline_and_how_many_events_wait():
    text = sync_status_text({"online": False, "pending": 3, "last_sync": None, "last_error": None})
    assert text == "Offline · 3 events waiting · never synced"


def test_the_status_bar_says_online_with_last_sync_time_and_error():
    text = sync_status_text({"online": True, "pending": 1, "last_error": "HQ refused",
                             "last_sync": datetime(2025, 1, 1, 12, 0, tzinfo=UTC)})
    assert text.startswith("Online · 1 event waiting · last sync ") and text.endswith("HQ refused")


def test_a_till_that_is_not_enrolled_says_so():
    assert "Not enrolled" in sync_status_text(None)
