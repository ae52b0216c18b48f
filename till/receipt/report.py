"""Render an X or Z shift report as plain text and as ESC/POS bytes, on the receipt's paper width."""

from __future__ import annotations

from escpos.printer import Dummy

from ..shift.report import ShiftReport
from .render import CODE_PAGE, CUT_MODES, TENDER_LABELS, WIDTH, _columns

TITLES = {"X": "X REPORT (shift so far)", "Z": "Z REPORT (shift closed)"}


def _verdict(report: ShiftReport) -> list[str]:
    if report.count is None or report.over_short is None:
        return []
    diff = report.over_short
    word = "OVER" if diff.minor > 0 else "SHORT" if diff.minor < 0 else "EVEN"
    lines = [_columns("Counted", report.count.counted.format())]
    for key, pieces in sorted(report.count.by_denomination.items(), key=lambda kv: -int(kv[0])):
        if pieces:
            value = report.money(int(key))
            lines.append(_columns(f"  {pieces} x {value.format()}", (value * pieces).format()))
    return [*lines, _columns(word, diff.format())]


def report_lines(report: ShiftReport) -> list[str]:
    """The report body, shared by both renderings."""
    s, rule = report.sums, "-" * WIDTH
    lines = [
        f"Shift:  {report.shift_id}"[:WIDTH],
        f"Opened: {report.opened_at:%Y-%m-%d %H:%M} by {report.opened_by}"[:WIDTH],
        f"{report.kind} by:   {report.made_by} {report.made_at:%Y-%m-%d %H:%M}"[:WIDTH],
        rule,
        _columns(f"Sales ({s.sales_count})", report.money(s.sales_total_minor).format()),
    ]
    for kind, minor in sorted(s.tender_totals.items()):
        lines.append(_columns(f"  {TENDER_LABELS.get(kind, kind)}", report.money(minor).format()))
    lines += [
        _columns("  Change given", (-report.money(s.change_minor)).format()),
        _columns(f"Returns ({s.returns_count})", (-report.money(s.returns_total_minor)).format()),
        rule,
        _columns("Float", report.float.format()),
        _columns("Cash sales (less change)", report.cash_sales.format()),
        _columns("Paid in", report.money(s.paid_in_minor).format()),
        _columns("Paid out", (-report.money(s.paid_out_minor)).format()),
        _columns("Drops to safe", (-report.money(s.drops_minor)).format()),
        _columns("Cash refunds", (-report.money(s.cash_refunds_minor)).format()),
        _columns("Expected in drawer", report.expected_cash.format()),
    ]
    return lines + _verdict(report)


def render_report_text(report: ShiftReport) -> str:
    head = [report.store_name.center(WIDTH), f"Store {report.store_code}".center(WIDTH),
            TITLES[report.kind].center(WIDTH), "-" * WIDTH]
    return "\n".join(head + report_lines(report)) + "\n"


def render_report_escpos(report: ShiftReport) -> bytes:
    printer = Dummy()
    printer.hw("INIT")  # ESC @ first: it also resets the code page
    printer.charcode(CODE_PAGE)
    printer.set(align="center", bold=True, double_height=True)
    printer.textln(report.store_name)
    printer.set(normal_textsize=True, bold=False)
    printer.textln(f"Store {report.store_code}")
    printer.set(bold=True)
    printer.textln(TITLES[report.kind])
    printer.set(align="left", bold=False)
    printer.textln("-" * WIDTH)
    for text in report_lines(report):
        printer.textln(text)
    printer.cut(mode=CUT_MODES["partial"])
    return printer.output
