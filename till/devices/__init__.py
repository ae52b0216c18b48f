"""Shop hardware behind small transports: scanners, cash drawer, pole display, printer status.

Nothing here opens a device at import; optional libraries (hidapi) are imported when used."""

from .drawer import CashDrawer, kick_bytes
from .escpos_status import PrinterStatus, StatusError, read_printer_status
from .hid import (
    HidapiTransport,
    HidPosDecoder,
    HidPosScanner,
    HidReportLayout,
    HidTransport,
    HidUnavailable,
    RecordedHidTransport,
)
from .pole_display import PoleDisplay, to_display
from .scanner import Scan, ScanFramer, ScannerSource, ScanQueue, SerialScanner
from .state import Connection, DeviceState
from .transports import (
    ByteTransport,
    DeviceError,
    RecordingTransport,
    SerialTransport,
    TcpTransport,
)
from .wedge import KeyboardWedgeDetector, WedgeOutput

__all__ = [
    "ByteTransport", "CashDrawer", "Connection", "DeviceError", "DeviceState", "HidPosDecoder",
    "HidPosScanner", "HidReportLayout", "HidTransport", "HidUnavailable", "HidapiTransport",
    "KeyboardWedgeDetector", "PoleDisplay", "PrinterStatus", "RecordedHidTransport",
    "RecordingTransport", "Scan", "ScanFramer", "ScanQueue", "ScannerSource", "SerialScanner",
    "SerialTransport", "StatusError", "TcpTransport", "WedgeOutput", "kick_bytes",
    "read_printer_status", "to_display",
]
