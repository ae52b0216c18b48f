"""What is plugged in: serial ports and HID devices, one short line each (`till devices`)."""

from __future__ import annotations

from dataclasses import dataclass

from .hid import HID_POS_USAGE_PAGE, HidUnavailable, import_hid


@dataclass(frozen=True, slots=True)
class FoundDevice:
    kind: str  # "serial" or "hid"
    address: str  # what goes in the configuration: /dev/ttyUSB0, or vid:pid
    description: str


def serial_ports() -> list[FoundDevice]:
    from serial.tools import list_ports

    return [FoundDevice("serial", p.device, _serial_text(p)) for p in sorted(list_ports.comports())]


def _serial_text(port) -> str:  # type: ignore[no-untyped-def]
    parts = [p for p in (port.manufacturer, port.product or port.description) if p and p != "n/a"]
    if port.vid is not None:
        parts.append(f"USB {port.vid:04x}:{port.pid:04x}")
    return " · ".join(parts) or "serial port"


def hid_devices() -> list[FoundDevice]:
    """Raises HidUnavailable when hidapi is not installed."""
    found = []
    for d in import_hid().enumerate():
        role = "HID POS scanner" if d.get("usage_page") == HID_POS_USAGE_PAGE else "HID"
        name = " ".join(x for x in (d.get("manufacturer_string"), d.get("product_string")) if x)
        found.append(FoundDevice("hid", f"{d['vendor_id']:04x}:{d['product_id']:04x}",
                                 f"{role}: {name or 'unnamed'} (usage page 0x{d.get('usage_page', 0):02x})"))
    return found


def device_report() -> list[str]:
    lines = ["Serial ports:"]
    ports = serial_ports()
    lines += [f"  {d.address}  {d.description}" for d in ports] or ["  none found"]
    lines.append("HID devices:")
    try:
        hids = hid_devices()
        lines += [f"  {d.address}  {d.description}" for d in hids] or ["  none found"]
    except HidUnavailable as exc:
        lines.append(f"  not listed: {exc}")
    return lines
