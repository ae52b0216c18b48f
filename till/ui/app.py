"""Running the till window: build everything, start the agent, run Qt, tidy up on exit."""

from __future__ import annotations

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
    try:
        window = MainWindow(till.presenter_factory(), till.status)
        if till.agent is not None:
            till.agent.start()
        window.showMaximized()
        return app.exec()
    finally:
        till.close()
