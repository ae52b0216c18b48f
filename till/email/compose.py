"""A receipt as an email: subject, plain text (the printed receipt's own text) and HTML.

The text part is `render_text`, the very lines the printer gets, so the totals are the printed
receipt's to the cent; the HTML part lays the same `Receipt` figures out as a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from shared.money import Money
from shared.pricing import format_rate

from ..receipt import Receipt, render_text
from ..receipt.render import TENDER_LABELS, TRAINING_BANNER


@dataclass(frozen=True, slots=True)
class ComposedEmail:
    subject: str
    text: str
    html: str


def compose_receipt(receipt: Receipt) -> ComposedEmail:
    return ComposedEmail(subject(receipt), render_text(receipt), render_html(receipt))


def subject(receipt: Receipt) -> str:
    training = "[TRAINING] " if receipt.training else ""
    return f"{training}Your receipt {receipt.receipt_no} from {receipt.store_name}"


def _row(label: str, amount: str, *, bold: bool = False, cls: str = "") -> str:
    style = ' style="font-weight:bold"' if bold else ""
    klass = f' class="{cls}"' if cls else ""
    return (f"<tr{klass}{style}><td>{escape(label)}</td>"
            f'<td style="text-align:right">{escape(amount)}</td></tr>')


def _money(money: Money, mark: str = "") -> str:
    return f"{money.format()} {mark}" if mark else money.format()


def _tax_label(name: str, rate_bp: int, mark: str = "") -> str:
    return " ".join(part for part in (mark, name or "Tax", format_rate(rate_bp)) if part)


def _lines(receipt: Receipt) -> list[str]:
    rows = []
    for ln in receipt.lines:
        each = f"<br><small>@ {escape(ln.unit_price.format())} each</small>" if ln.quantity > 1 else ""
        rows.append(f"<tr><td>{ln.quantity} x {escape(ln.name)}{each}</td>"
                    f'<td style="text-align:right">{escape(_money(ln.total, ln.tax_mark))}</td></tr>')
    return rows


def _totals(receipt: Receipt) -> list[str]:
    rows = []
    if not receipt.prices_include_tax and receipt.taxes:
        rows.append(_row("Subtotal", receipt.subtotal.format()))
        rows += [_row(_tax_label(t.name, t.rate_bp, t.mark), t.tax.format()) for t in receipt.taxes]
    rows.append(_row("TOTAL", receipt.total.format(), bold=True, cls="total"))
    if receipt.rounding:
        rows += [_row("Cash rounding", receipt.rounding.format()),
                 _row("To pay", receipt.to_pay.format())]
    if all(t.kind == "cash" for t in receipt.tenders):
        rows.append(_row("Cash tendered", receipt.tendered.format()))
    else:
        rows += [_row(f"{TENDER_LABELS.get(t.kind, t.kind)} {t.reference}".strip(),
                      t.amount.format()) for t in receipt.tenders]
    rows.append(_row("Change", receipt.change.format()))
    return rows


def _tax_table(receipt: Receipt) -> str:
    if not receipt.taxes:
        return ""
    cells = "".join(
        f"<tr><td>{escape(_tax_label(t.name, t.rate_bp, t.mark))}</td>"
        + "".join(f'<td style="text-align:right">{escape(m.to_decimal_str())}</td>'
                  for m in (t.net, t.tax, t.gross)) + "</tr>"
        for t in receipt.taxes)
    return ('<table class="taxes" cellpadding="2"><tr><th>Tax</th><th>Net</th><th>Tax</th>'
            f"<th>Gross</th></tr>{cells}</table>")


def render_html(receipt: Receipt) -> str:
    banner = (f'<p style="font-weight:bold;background:#facc15">{escape(TRAINING_BANNER)}</p>'
              if receipt.training else "")
    body = "\n".join([*_lines(receipt), '<tr><td colspan="2"><hr></td></tr>', *_totals(receipt)])
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{escape(subject(receipt))}</title></head>
<body style="font-family:sans-serif;max-width:28em">
{banner}<h2 style="margin-bottom:0">{escape(receipt.store_name)}</h2>
<p style="margin-top:0">Store {escape(receipt.store_code)}</p>
<table class="lines" cellpadding="2" style="width:100%">
{body}
</table>
{_tax_table(receipt)}
<p>Cashier: {escape(receipt.cashier)}<br>Receipt: {escape(receipt.receipt_no)}<br>
Date: {receipt.completed_at:%Y-%m-%d %H:%M}</p>
{banner}</body></html>
"""
