"""The settings screen's form: devices.json to text fields and back, mistakes in words."""

from till.devices.config import CustomerScreenConfig, parse_device_config
from till.devices.settings_form import (
    form_from_raw,
    printer_kind,
    raw_from_form,
    read_raw,
    write_raw,
)

FULL = {
    "printer": {"spec": "tcp:10.0.0.5:9100", "paper_mm": 80, "code_page": "CP858"},
    "scanners": [{"type": "serial", "port": "COM5", "baud": 115200, "terminator": "crlf",
                  "prefix": "#", "suffix": ""},
                 {"type": "hid", "vendor_id": "0x0c2e", "product_id": "0x0b61"}],
    "drawer": {"via": "printer", "pin": 5, "on_ms": 100, "off_ms": 200},
    "display": {"port": "COM6", "baud": 9600},
    "customer_screen": {"screen": 1, "welcome": "Hello"},
}


def test_an_unchanged_form_saves_the_same_file_keeping_what_the_screen_does_not_show():
    raw, errors = raw_from_form(form_from_raw(FULL), FULL)
    assert errors == []
    assert raw == FULL
    config = parse_device_config(raw)
    assert config.problems == [] and config.customer_screen == CustomerScreenConfig(1, "Hello")


def test_printer_kinds_map_to_specs_both_ways():
    assert printer_kind("file:/dev/usb/lp0") == ("usb", "/dev/usb/lp0", "9600")
    assert printer_kind("file:/tmp/r.bin") == ("file", "/tmp/r.bin", "9600")
    assert printer_kind("serial:COM3:19200") == ("serial", "COM3", "19200")
    assert printer_kind("tcp:printer.local:9100") == ("network", "printer.local:9100", "9600")
    form = form_from_raw({}) | {"printer.kind": "serial", "printer.address": "/dev/ttyS0",
                                "printer.baud": "19200", "printer.chars_per_line": "48"}
    raw, errors = raw_from_form(form, {})
    assert errors == [] and raw["printer"]["spec"] == "serial:/dev/ttyS0:19200"
    assert parse_device_config(raw).printer.chars_per_line == 48


def test_a_blank_scanner_port_removes_the_scanner_and_a_filled_blank_row_adds_one():
    form = form_from_raw(FULL) | {"scanner.0.port": "", "scanner.1.port": "/dev/ttyACM0"}
    raw, errors = raw_from_form(form, FULL)
    assert errors == []
    assert [s.get("port") for s in raw["scanners"]] == ["/dev/ttyACM0", None]  # hid kept


def test_mistakes_are_sentences_naming_the_device():
    form = form_from_raw(FULL) | {"printer.kind": "none", "display.baud": "1234",
                                  "customer_screen.screen": "two"}
    _, errors = raw_from_form(form, FULL)
    assert "Drawer: it opens through the receipt printer — choose a printer first, or wire " \
           "the drawer to its own serial port" in errors
    assert "Pole display: the baud rate is 1200 or 2400 or 4800 or 9600 or 19200 or 38400 or " \
           "57600 or 115200, not 1234" in errors
    assert "Customer screen must be a number, not “two”" in errors
    form = form_from_raw({}) | {"drawer.via": "serial", "printer.kind": "usb"}
    _, errors = raw_from_form(form, {})
    assert errors == ["Printer: type the usb printer's address, e.g. /dev/usb/lp0",
                      "Drawer: type its serial port, e.g. /dev/ttyUSB0 or COM4"]


def test_the_file_is_replaced_whole(tmp_path):
    write_raw(tmp_path, FULL)
    assert read_raw(tmp_path) == FULL
    assert [p.name for p in tmp_path.iterdir()] == ["devices.json"]
