"""Is the cash drawer left open? What the till knows of it, from kicks and status readings.

A printer-wired drawer reports its switch through the printer (DLE EOT 1, bit 2; CashDrawer.is_open).
The till reads it after each kick until the drawer is shut again; a drawer open longer than the
store's limit puts a warning on the status bar (cash within reach of the customer side), cleared
as soon as it is closed. Pure state: the caller supplies the clock and the readings.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class DrawerWatch:
    warn_after_s: float  # 0: never warn
    opened_at: float | None = None  # monotonic seconds when it was seen (or kicked) open
    unknown: bool = False  # the last reading failed: say so rather than guess

    def kicked(self, now: float) -> None:
        if self.opened_at is None:
            self.opened_at = now

    def observed(self, is_open: bool, now: float) -> None:
        self.unknown = False
        if not is_open:
            self.opened_at = None
        elif self.opened_at is None:  # opened with the key, or before the till started
            self.opened_at = now

    def reading_failed(self) -> None:
        self.unknown = True

    @property
    def watching(self) -> bool:
        """Keep reading while the drawer is (or may still be) open."""
        return self.opened_at is not None

    def warning(self, now: float) -> str:
        """'' while all is well; else the words for the status bar."""
        if self.opened_at is None or not self.warn_after_s:
            return ""
        seconds = int(now - self.opened_at)
        if seconds < self.warn_after_s:
            return ""
        if self.unknown:
            return f"drawer may still be open ({seconds} s) — the printer did not answer"
        return f"drawer open for {seconds} s — close it"
