"""devices.json read into settings; mistakes become sentences, never exceptions."""

import json

from till.devices.config import load_device_config, parse_device_config


def test_a_full_config_is_read_with_paper_width_ids_and_terminators(tmp_path):
    (tmp_path / "devices.json").write_text(json.dumps({
        "printer": {"spec": "tcp:10.0.0.5:9100", "paper_mm": 58, "code_page": "cp437"},
        "scanners": [{"type": "serial", "port": "/dev/ttyACM0", "baud": 115200, "terminator": "crlf",
                      "prefix": "#"},
                     {"type": "hid", "vendor_id": "0x0c2e", "product_id": 2913},
                     {"type": "wedge", "terminator": "tab", "max_avg_ms": 20}],
        "drawer": {"via": "printer", "pin": 5, "on_ms": 100, "off_ms": 200},
        "display": {"port": "/dev/ttyUSB1"},
    }))
    config = load_device_config(tmp_path)
    assert config.problems == []
    assert (config.printer.spec, config.printer.chars_per_line, config.printer.code_page) == \
        ("tcp:10.0.0.5:9100", 32, "CP437")
    serial = config.serial_scanners[0]
    assert (serial.port, serial.baud, serial.terminator, serial.prefix) == \
        ("/dev/ttyACM0", 115200, "\r\n", "#")
    assert (config.hid_scanners[0].vendor_id, config.hid_scanners[0].product_id) == (0x0C2E, 2913)
    assert (config.wedge.terminator, config.wedge.max_avg_ms) == ("\t", 20.0)
    assert (config.drawer.pin, config.drawer.on_ms, config.drawer.off_ms) == (5, 100, 200)
    assert config.display.port == "/dev/ttyUSB1" and config.display.baud == 9600


def test_no_file_means_no_devices_and_no_complaint(tmp_path):
    config = load_device_config(tmp_path)
    assert config.problems == [] and config.printer.spec == "none" and config.drawer is None


def test_a_broken_file_is_reported_and_selling_goes_on(tmp_path):
    (tmp_path / "devices.json").write_text("{ not json")
    config = load_device_config(tmp_path)
    assert len(config.problems) == 1 and "devices.json ignored" in config.problems[0]
    assert config.serial_scanners == [] and config.display is None


def test_each_bad_entry_is_left_out_with_a_reason_and_the_rest_kept():
    config = parse_device_config({
        "printer": {"paper_mm": 76},
        "scanners": [{"type": "bluetooth"}, {"type": "serial"}, {"type": "serial", "port": "COM5"}],
        "drawer": {"via": "printer", "pin": 3},
        "display": "COM6",
        "till": {},
    })
    assert [s.port for s in config.serial_scanners] == ["COM5"]
    assert config.drawer is None and config.display is None and config.printer.paper_mm == 80
    text = "\n".join(config.problems)
    for expected in ("paper_mm is 58 or 80", "not 'bluetooth'", "missing key 'port'", "pin is 2 or 5",
                     "display: must be an object", "unknown section(s) till"):
        assert expected in text
