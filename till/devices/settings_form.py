"""The device settings screen's form: devices.json as flat text fields, and back, checked.

Pure (standard library only) so the rules are tested without a screen. The form edits what a
supervisor sets at the counter; everything else in the file (HID and wedge scanners, drawer pulse
timings, unknown keys) is carried over untouched. Errors are sentences naming the device.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

from .config import CHARS_PER_LINE, FILE_NAME, TERMINATORS, parse_device_config

PRINTER_KINDS = ("none", "usb", "serial", "network", "file")
DRAWER_VIAS = ("none", "printer", "serial")
BAUDS = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
EXAMPLES = {"usb": "/dev/usb/lp0", "serial": "/dev/ttyS0 or COM3", "network": "192.168.1.50:9100",
            "file": "/tmp/receipts.bin"}
TERMINATOR_NAMES = {"\r": "cr", "\n": "lf", "\r\n": "crlf", "\t": "tab"}

Form = dict[str, str]


# --- devices.json → form ---------------------------------------------------------------------

def form_from_raw(raw: dict[str, Any]) -> Form:
    """Every field the screen shows, as text; one blank serial-scanner row to add a scanner."""
    form: Form = {}
    printer = raw.get("printer") if isinstance(raw.get("printer"), dict) else {}
    kind, address, baud = printer_kind(str(printer.get("spec", "none")))
    form |= {"printer.kind": kind, "printer.address": address, "printer.baud": baud,
             "printer.paper_mm": str(printer.get("paper_mm", 80)),
             "printer.chars_per_line": str(printer.get("chars_per_line", "") or ""),
             "printer.code_page": str(printer.get("code_page", "CP858"))}
    for i, scanner in enumerate([*serial_scanners(raw), {}]):
        form |= {f"scanner.{i}.port": str(scanner.get("port", "")),
                 f"scanner.{i}.baud": str(scanner.get("baud", 9600)),
                 f"scanner.{i}.terminator": _terminator_name(scanner.get("terminator", "cr")),
                 f"scanner.{i}.prefix": str(scanner.get("prefix", "")),
                 f"scanner.{i}.suffix": str(scanner.get("suffix", ""))}
    drawer = raw.get("drawer") if isinstance(raw.get("drawer"), dict) else None
    form |= {"drawer.via": str(drawer.get("via", "printer")) if drawer else "none",
             "drawer.pin": str((drawer or {}).get("pin", 2)),
             "drawer.port": str((drawer or {}).get("port", ""))}
    display = raw.get("display") if isinstance(raw.get("display"), dict) else {}
    form |= {"display.port": str(display.get("port", "")),
             "display.baud": str(display.get("baud", 9600))}
    screen = raw.get("customer_screen") if isinstance(raw.get("customer_screen"), dict) else None
    form["customer_screen.screen"] = str(screen.get("screen", 1)) if screen else ""
    return form


def scanner_rows(form: Form) -> list[int]:
    return sorted({int(k.split(".")[1]) for k in form if k.startswith("scanner.")})


def serial_scanners(raw: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in raw.get("scanners") or [] if isinstance(s, dict) and s.get("type") == "serial"]


def printer_kind(spec: str) -> tuple[str, str, str]:
    """(kind, address, baud) from a printer spec."""
    kind, _, rest = spec.strip().partition(":")
    if kind == "tcp":
        return "network", rest, "9600"
    if kind == "file":
        return ("usb" if rest.startswith("/dev/usb/") else "file"), rest, "9600"
    if kind == "serial":
        port, _, baud = rest.rpartition(":")
        return ("serial", port, baud) if baud.isdigit() else ("serial", rest, "9600")
    return "none", "", "9600"


def _terminator_name(value: Any) -> str:
    text = str(value)
    return TERMINATOR_NAMES.get(TERMINATORS.get(text.lower(), text), text)


# --- form → devices.json -----------------------------------------------------------------------

def raw_from_form(form: Form, before: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The new file's content and what is wrong with it (empty: safe to save)."""
    raw, errors = copy.deepcopy(before), []
    _printer(form, raw, errors)
    _scanners(form, raw, errors)
    _drawer(form, raw, errors)
    _display(form, raw, errors)
    _customer_screen(form, raw, errors)
    _ports_used_once(form, errors)
    if not errors:  # the loader's own rules, so what is saved is what the till will open
        errors += [p.replace("devices.json ", "").replace(" — this device is off", "")
                   for p in parse_device_config(raw).problems]
    return raw, errors


def _printer(form: Form, raw: dict[str, Any], errors: list[str]) -> None:
    kind, address = form["printer.kind"], form["printer.address"].strip()
    section = dict(raw.get("printer") or {})
    if kind not in PRINTER_KINDS:
        errors.append(f"Printer: the kind is one of {', '.join(PRINTER_KINDS)}")
        return
    if kind != "none" and not address:
        errors.append(f"Printer: type the {kind} printer's address, e.g. {EXAMPLES[kind]}")
    spec = "none"
    if kind == "network":
        host, _, port = address.rpartition(":") if ":" in address else (address, "", "9100")
        if not port.isdigit() or not 0 < int(port) < 65536:
            errors.append(f"Printer: “{address}” is not host:port — e.g. {EXAMPLES['network']}")
        spec = f"tcp:{host}:{port}"
    elif kind == "serial":
        spec = f"serial:{address}:{_baud('Printer', form['printer.baud'], errors)}"
    elif kind in ("usb", "file"):
        spec = f"file:{address}"
    section["spec"] = spec
    section["paper_mm"] = _number("Printer: paper width", form["printer.paper_mm"], errors,
                                  allowed=tuple(CHARS_PER_LINE))
    columns = form["printer.chars_per_line"].strip()
    if columns:
        section["chars_per_line"] = _number("Printer: characters per line", columns, errors,
                                            low=24, high=64)
    else:
        section.pop("chars_per_line", None)
    section["code_page"] = form["printer.code_page"].strip().upper() or "CP858"
    raw["printer"] = section


def _scanners(form: Form, raw: dict[str, Any], errors: list[str]) -> None:
    others = [s for s in raw.get("scanners") or [] if not (isinstance(s, dict)
                                                           and s.get("type") == "serial")]
    serial = []
    for i in scanner_rows(form):
        port = form[f"scanner.{i}.port"].strip()
        if not port:
            continue  # a blank row: no scanner (how one is removed, too)
        terminator = form[f"scanner.{i}.terminator"].strip() or "cr"
        if terminator.lower() not in TERMINATORS:
            errors.append(f"Scanner {port}: the terminator is cr, lf, crlf or tab, "
                          f"not “{terminator}”")
        serial.append({"type": "serial", "port": port,
                       "baud": _baud(f"Scanner {port}", form[f"scanner.{i}.baud"], errors),
                       "terminator": terminator.lower(), "prefix": form[f"scanner.{i}.prefix"],
                       "suffix": form[f"scanner.{i}.suffix"]})
    raw["scanners"] = serial + others
    if not raw["scanners"]:
        del raw["scanners"]


def _drawer(form: Form, raw: dict[str, Any], errors: list[str]) -> None:
    via = form["drawer.via"]
    if via == "none":
        raw.pop("drawer", None)
        return
    section = dict(raw.get("drawer") or {})
    section["via"] = via
    if via == "printer":
        if form["printer.kind"] == "none":
            errors.append("Drawer: it opens through the receipt printer — choose a printer "
                          "first, or wire the drawer to its own serial port")
        section["pin"] = _number("Drawer: the connector pin", form["drawer.pin"], errors,
                                 allowed=(2, 5))
        section.pop("port", None)
    elif via == "serial":
        if not form["drawer.port"].strip():
            errors.append("Drawer: type its serial port, e.g. /dev/ttyUSB0 or COM4")
        section["port"] = form["drawer.port"].strip()
    else:
        errors.append("Drawer: it opens through the printer, on its own serial port, or none")
    raw["drawer"] = section


def _display(form: Form, raw: dict[str, Any], errors: list[str]) -> None:
    port = form["display.port"].strip()
    if not port:
        raw.pop("display", None)
        return
    raw["display"] = {**(raw.get("display") or {}), "port": port,
                      "baud": _baud("Pole display", form["display.baud"], errors)}


def _customer_screen(form: Form, raw: dict[str, Any], errors: list[str]) -> None:
    screen = form["customer_screen.screen"].strip()
    if not screen:
        raw.pop("customer_screen", None)
        return
    raw["customer_screen"] = {**(raw.get("customer_screen") or {}),
                              "screen": _number("Customer screen", screen, errors, low=0, high=8)}


def _ports_used_once(form: Form, errors: list[str]) -> None:
    users: dict[str, list[str]] = {}
    named = [(f"scanner.{i}.port", "a scanner") for i in scanner_rows(form)]
    named += [("display.port", "the pole display")]
    if form["drawer.via"] == "serial":
        named.append(("drawer.port", "the drawer"))
    if form["printer.kind"] == "serial":
        named.append(("printer.address", "the printer"))
    for key, who in named:
        if port := form[key].strip():
            users.setdefault(port, []).append(who)
    for port, who in users.items():
        if len(who) > 1:
            errors.append(f"Port {port} is set for {' and '.join(who)} — one device per port")


def _baud(device: str, text: str, errors: list[str]) -> int:
    return _number(f"{device}: the baud rate", text or "9600", errors, allowed=BAUDS)


def _number(what: str, text: str, errors: list[str], *, allowed: tuple[int, ...] = (),
            low: int | None = None, high: int | None = None) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        errors.append(f"{what} must be a number, not “{text}”")
        return 0
    if allowed and value not in allowed:
        errors.append(f"{what} is {' or '.join(map(str, allowed))}, not {value}")
    elif low is not None and high is not None and not low <= value <= high:
        errors.append(f"{what} is {low} to {high}, not {value}")
    return value


# --- the file ----------------------------------------------------------------------------------

def read_raw(data_dir: Path) -> dict[str, Any]:
    """The file as it stands; {} when missing or unreadable (the screen then starts blank)."""
    try:
        raw = json.loads((Path(data_dir) / FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


def write_raw(data_dir: Path, raw: dict[str, Any]) -> None:
    """Written whole then renamed over the old file: a crash never leaves half a file."""
    path = Path(data_dir) / FILE_NAME
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(raw, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
