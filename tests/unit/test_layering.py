"""The layering of ARCHITECTURE.md, checked: shared/ imports neither side nor any framework."""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOWED_THIRD_PARTY = {"pydantic"}


def imported_top_levels(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_shared_imports_only_the_standard_library_and_pydantic():
    offenders = {}
    for path in (ROOT / "shared").rglob("*.py"):
        bad = {
            name for name in imported_top_levels(path)
            if name not in sys.stdlib_module_names and name not in ALLOWED_THIRD_PARTY
        }
        if bad:
            offenders[str(path.relative_to(ROOT))] = sorted(bad)
    assert offenders == {}


def test_the_till_never_imports_hq_and_hq_never_imports_the_till():
    for side, forbidden in (("till", "hq_server"), ("hq_server", "till")):
        for path in (ROOT / side).rglob("*.py"):
            assert forbidden not in imported_top_levels(path), f"{path} imports {forbidden}"


def test_only_the_qt_shim_imports_pyside6_in_the_till():
    importers = [
        str(p.relative_to(ROOT)) for p in (ROOT / "till").rglob("*.py")
        if "PySide6" in imported_top_levels(p)
    ]
    assert importers == ["till/ui/qt.py"]
