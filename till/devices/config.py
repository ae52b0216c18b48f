"""`devices.json` in the till's data folder: which printer, scanners, drawer and pole display
this till has. Standard library only; nothing is opened here.

A missing file means "no devices" (keyboard wedge scanning still works); a broken file or
entry is reported as a sentence in `DeviceConfig.problems` and that device is left out — a
config mistake must never stop the till selling.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FILE_NAME = "devices.json"
CHARS_PER_LINE = {58: 32, 80: 42}  # font A: 58 mm paper prints 32 columns, 80 mm 42 (48 on some)
TERMINATORS = {"cr": "\r", "enter": "\r", "lf": "\n", "crlf": "\r\n", "tab": "\t"}


@dataclass(frozen=True, slots=True)
class PrinterConfig:
    spec: str = "none"  # file:/dev/usb/lp0 | tcp:host:port | serial:/dev/ttyS0:9600 | none
    paper_mm: int = 80
    code_page: str = "CP858"
    columns: int = 0  # 0: the paper's usual width (CHARS_PER_LINE); some 80 mm printers do 48
    logo: str = ""  # a PNG printed at the top of every receipt ("" = none)
    cut: str = "partial"  # partial (a tab holds the receipt) or full

    @property
    def chars_per_line(self) -> int:
        return self.columns or CHARS_PER_LINE[self.paper_mm]


@dataclass(frozen=True, slots=True)
class SerialScannerConfig:
    port: str
    baud: int = 9600
    terminator: str = "\r"
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True, slots=True)
class HidScannerConfig:
    vendor_id: int
    product_id: int


@dataclass(frozen=True, slots=True)
class WedgeConfig:
    terminator: str = "\r"  # Enter or Tab
    min_chars: int = 6
    max_avg_ms: float = 30.0
    max_gap_ms: float = 50.0


@dataclass(frozen=True, slots=True)
class DrawerConfig:
    via: str = "printer"  # printer | serial
    pin: int = 2
    on_ms: int = 50
    off_ms: int = 500
    unit_ms: int = 2
    port: str = ""  # via serial
    baud: int = 9600
    trigger: str = "\x07"
    # Warn on the status bar when a printer-wired drawer stays open this long (0: never).
    warn_open_seconds: int = 30


@dataclass(frozen=True, slots=True)
class DisplayConfig:
    port: str
    baud: int = 9600


@dataclass(frozen=True, slots=True)
class CustomerScreenConfig:
    """A customer-facing monitor: QGuiApplication.screens()[screen]."""

    screen: int = 1
    welcome: str = "Welcome"


@dataclass(slots=True)
class DeviceConfig:
    printer: PrinterConfig = field(default_factory=PrinterConfig)
    serial_scanners: list[SerialScannerConfig] = field(default_factory=list)
    hid_scanners: list[HidScannerConfig] = field(default_factory=list)
    wedge: WedgeConfig = field(default_factory=WedgeConfig)  # always on: any USB keyboard scanner
    drawer: DrawerConfig | None = None
    display: DisplayConfig | None = None
    customer_screen: CustomerScreenConfig | None = None
    problems: list[str] = field(default_factory=list)


class ConfigError(ValueError):
    pass


def load_device_config(data_dir: Path) -> DeviceConfig:
    path = Path(data_dir) / FILE_NAME
    if not path.exists():
        return DeviceConfig()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ConfigError("the file must hold one JSON object")
    except (OSError, ValueError) as exc:
        return DeviceConfig(problems=[f"{path.name} ignored — {exc}; selling works, "
                                      "devices are off until it is fixed"])
    return parse_device_config(raw)


def parse_device_config(raw: dict[str, Any]) -> DeviceConfig:
    config = DeviceConfig()
    _section(config, "printer", raw, lambda d: setattr(config, "printer", _printer(d)))
    for i, entry in enumerate(raw.get("scanners") or []):
        _section(config, f"scanners[{i}]", {f"scanners[{i}]": entry},
                 lambda d: _add_scanner(config, d))
    _section(config, "drawer", raw, lambda d: setattr(config, "drawer", _drawer(d)))
    _section(config, "display", raw, lambda d: setattr(config, "display", _display(d)))
    _section(config, "customer_screen", raw,
             lambda d: setattr(config, "customer_screen", _customer_screen(d)))
    unknown = set(raw) - {"printer", "scanners", "drawer", "display", "customer_screen"}
    if unknown:
        config.problems.append(f"devices.json: unknown section(s) {', '.join(sorted(unknown))} ignored")
    return config


def _section(config: DeviceConfig, name: str, raw: dict[str, Any], apply: Any) -> None:
    entry = raw.get(name)
    if entry is None:
        return
    try:
        if not isinstance(entry, dict):
            raise ConfigError("must be an object")
        apply(entry)
    except (ConfigError, KeyError, TypeError, ValueError) as exc:
        detail = f"missing key {exc}" if isinstance(exc, KeyError) else str(exc)
        config.problems.append(f"devices.json {name}: {detail} — this device is off")


def _printer(d: dict[str, Any]) -> PrinterConfig:
    paper = int(d.get("paper_mm", 80))
    if paper not in CHARS_PER_LINE:
        raise ConfigError(f"paper_mm is 58 or 80, not {paper}")
    columns = int(d.get("chars_per_line", 0))
    if columns and not 24 <= columns <= 64:
        raise ConfigError(f"chars_per_line is 24..64 (or 0 for the paper's usual), not {columns}")
    cut = str(d.get("cut", "partial")).lower()
    if cut not in ("partial", "full"):
        raise ConfigError(f"cut is partial or full, not {cut!r}")
    return PrinterConfig(str(d.get("spec", "none")), paper, str(d.get("code_page", "CP858")).upper(),
                         columns, str(d.get("logo", "")), cut)


def _add_scanner(config: DeviceConfig, d: dict[str, Any]) -> None:
    kind = d.get("type")
    if kind == "serial":
        config.serial_scanners.append(SerialScannerConfig(
            str(d["port"]), int(d.get("baud", 9600)), _terminator(d.get("terminator", "cr")),
            str(d.get("prefix", "")), str(d.get("suffix", ""))))
    elif kind == "hid":
        config.hid_scanners.append(HidScannerConfig(_id(d["vendor_id"]), _id(d["product_id"])))
    elif kind == "wedge":
        terminator = _terminator(d.get("terminator", "enter"))
        if terminator not in ("\r", "\t"):
            raise ConfigError("a keyboard wedge scanner ends with enter or tab")
        config.wedge = WedgeConfig(terminator, int(d.get("min_chars", 6)),
                                   float(d.get("max_avg_ms", 30)), float(d.get("max_gap_ms", 50)))
    else:
        raise ConfigError(f"type is serial, hid or wedge, not {kind!r}")


def _drawer(d: dict[str, Any]) -> DrawerConfig:
    via = d.get("via", "printer")
    if via == "printer":
        pin = int(d.get("pin", 2))
        if pin not in (2, 5):
            raise ConfigError(f"pin is 2 or 5, not {pin}")
        warn = int(d.get("warn_open_seconds", 30))
        if warn < 0:
            raise ConfigError(f"warn_open_seconds is 0 (never) or more, not {warn}")
        return DrawerConfig("printer", pin, int(d.get("on_ms", 50)), int(d.get("off_ms", 500)),
                            int(d.get("unit_ms", 2)), warn_open_seconds=warn)
    if via == "serial":
        return DrawerConfig("serial", port=str(d["port"]), baud=int(d.get("baud", 9600)),
                            trigger=str(d.get("trigger", "\x07")))
    raise ConfigError(f"via is printer or serial, not {via!r}")


def _display(d: dict[str, Any]) -> DisplayConfig:
    return DisplayConfig(str(d["port"]), int(d.get("baud", 9600)))


def _customer_screen(d: dict[str, Any]) -> CustomerScreenConfig:
    screen = int(d.get("screen", 1))
    if screen < 0:
        raise ConfigError(f"screen is 0 (the first), 1 (the second)…, not {screen}")
    return CustomerScreenConfig(screen, str(d.get("welcome", "Welcome")))


def _terminator(value: Any) -> str:
    text = str(value)
    return TERMINATORS.get(text.lower(), text) if text else "\r"


def _id(value: Any) -> int:
    return int(value, 16) if isinstance(value, str) else int(value)
