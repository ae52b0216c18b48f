from types import SimpleNamespace

import pytest

from till import cli
from till.devices import listing
from till.devices.hid import HidUnavailable

pytestmark = pytest.mark.timeout(10)


def test_the_command_lists_ports_and_hid_scanners(monkeypatch, capsys):
    port = SimpleNamespace(device="/dev/ttyACM0", manufacturer="Honeywell", product="Xenon 1900",
                           description="", vid=0x0C2E, pid=0x0B61)
    monkeypatch.setattr("serial.tools.list_ports.comports", lambda: [port])
    hid = SimpleNamespace(enumerate=lambda: [{"vendor_id": 0x0C2E, "product_id": 0x0B87,
                                             "usage_page": 0x8C, "manufacturer_string": "Honeywell",
                                             "product_string": "Xenon"}])
    monkeypatch.setattr(listing, "import_hid", lambda: hid)
    assert cli.main(["devices"]) == 0
    out = capsys.readouterr().out
    assert "/dev/ttyACM0  Honeywell · Xenon 1900 · USB 0c2e:0b61" in out
    assert "0c2e:0b87  HID POS scanner: Honeywell Xenon (usage page 0x8c)" in out


def test_the_command_says_so_when_nothing_is_found_or_hidapi_is_missing(monkeypatch, capsys):
    monkeypatch.setattr("serial.tools.list_ports.comports", lambda: [])

    def no_hid():
        raise HidUnavailable("USB HID scanners need the hidapi package")

    monkeypatch.setattr(listing, "import_hid", no_hid)
    assert cli.main(["devices"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Serial ports:", "  none found", "HID devices:",
        "  not listed: USB HID scanners need the hidapi package"]
