"""Running the till window: build everything, start the agent, run Qt, tidy up on exit."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from ..bootstrap import build_till
from .main_window import MainWindow
from .qt import QApplication


def run_till(data_dir: Path, printer_spec: str = "none") -> int:
    till = build_till(data_dir, printer_spec)
    if till.ledger.store() is None:
        till.close()
        print(f"this till is not enrolled (data folder {data_dir}) — run "
              "`till enrol --hq URL --code CODE` first", file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication(sys.argv[:1])
    # Ctrl-C or a service manager's SIGTERM closes the window the normal way, so `till.close()`
    # below stops the agent and the ledger. (Python runs the handler on the window's status
    # timer tick, at most half a second later.)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: app.quit())
    try:
        window = MainWindow(till.presenter_factory(), till.status, till.identity())
        if till.agent is not None:
            till.agent.start()
        window.showMaximized()
        return app.exec()
    finally:
        till.close()
