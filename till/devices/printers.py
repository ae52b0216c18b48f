"""Picking the receipt printer's transport from a spec, including a printer on a serial port.

`serial:/dev/ttyS0:9600` (or `serial:COM3:19200`) adds serial printers to the receipt specs
(`file:`, `tcp:`, `none`); the port is opened per job, like the network printer's connection,
so unplugging and replugging heals itself.
"""

from __future__ import annotations

from ..receipt.transports import PrinterError, PrinterTransport, printer_from_spec
from .transports import DeviceError, SerialTransport


class SerialPrinter:
    def __init__(self, port: str, baud: int = 9600) -> None:
        self.port, self.baud = port, baud

    def send(self, data: bytes) -> None:
        transport = SerialTransport(self.port, self.baud)
        try:
            transport.open()
            transport.write(data)
        except (DeviceError, OSError) as exc:
            raise PrinterError(f"printer on {self.port}: {exc} — is it switched on and "
                               "plugged in?") from exc
        finally:
            transport.close()

    def __repr__(self) -> str:
        return f"serial:{self.port}"


def open_printer(spec: str, timeout: float = 5.0) -> PrinterTransport:
    kind, _, rest = (spec or "none").strip().partition(":")
    if kind == "serial" and rest:
        port, _, baud = rest.rpartition(":")
        return SerialPrinter(port, int(baud)) if baud.isdigit() and port else SerialPrinter(rest)
    return printer_from_spec(spec, timeout)
