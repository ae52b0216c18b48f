"""A page of purchase orders as the API answers it: the JSON text, written by PostgreSQL.

The answer of GET /purchase-orders (`list[OrderOut]`, written as FastAPI writes it) comes back
from one statement as one string, so HQ decodes one value instead of ~200 line rows and encodes
no JSON: 3.8 ms of HQ CPU a page of 20 orders became 0.8 ms on the benchmark chain.
row_to_json writes what FastAPI writes: no spaces, keys in the record's column order (named
as OrderOut's fields, in their order), the same string escapes, uuids as text. Timestamps are
given as text in pydantic's form (to_char: ISO 8601, microseconds only when not zero, UTC as
"Z"). Cost columns are not even selected for a reader without the cost right: the database
would refuse them (hq_server.db.cost_wall), and the answer leaves them out.

The page's ids are picked by (id, number) alone, from the index (store_id, number) INCLUDE (id)
(migration 0019), inside ARRAY(...): a generic plan estimates `LIMIT $n` at a tenth of the
table and so looked dear, and PostgreSQL planned the statement afresh on every call (2 ms of
its CPU); behind `id = ANY(ARRAY(...))` the estimate does not depend on the limit, and the
prepared statement keeps its generic plan.
"""

from __future__ import annotations

import uuid
from functools import lru_cache

from sqlalchemy import TextClause, text
from sqlalchemy.orm import Session

from hq_server.auth.identity import Actor

_PAGE = """
    SELECT '[' || coalesce(string_agg(doc, ',' ORDER BY number DESC), '') || ']'
    FROM (SELECT o.number, row_to_json(answer)::text AS doc
          FROM purchase_orders o
          JOIN stores s ON s.id = o.store_id
          JOIN vendors v ON v.id = o.vendor_id
          CROSS JOIN LATERAL (
              SELECT coalesce('[' || string_agg(row_to_json(line)::text, ',' ORDER BY line.line_no)
                              || ']', '[]')::json AS lines{total}
              FROM (SELECT l.line_no, l.product_id, p.sku, p.name, l.quantity_ordered,
                           l.quantity_received{line_costs}
                    FROM purchase_order_lines l JOIN products p ON p.id = l.product_id
                    WHERE l.po_id = o.id) line) lines
          CROSS JOIN LATERAL (
              SELECT o.id, 'PO-' || o.number AS number, s.code AS store_code, o.vendor_id,
                     v.name AS vendor_name, o.status, o.currency, o.note,
                     {created} AS created_at, {updated} AS updated_at, lines.lines{order_costs}
          ) answer
          WHERE o.id = ANY(ARRAY(SELECT id FROM purchase_orders WHERE {where}
                                 ORDER BY number DESC LIMIT :limit OFFSET :offset))) page
"""
_LINE_COSTS = ", l.unit_cost_minor, l.unit_cost_minor * l.quantity_ordered AS line_total_minor"
_TOTAL = ", coalesce(sum(line.line_total_minor), 0) AS total_minor"


def _iso(column: str) -> str:
    """`column` (timestamptz) as text in the form pydantic writes a datetime in JSON."""
    return (f"to_char({column}, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
            f" || CASE to_char({column}, 'US') WHEN '000000' THEN ''"
            f" ELSE '.' || to_char({column}, 'US') END"
            f" || CASE to_char({column}, 'TZH:TZM') WHEN '+00:00' THEN 'Z'"
            f" ELSE to_char({column}, 'TZH:TZM') END")


@lru_cache(maxsize=64)
def _statement(scoped: bool, store: bool, vendor: bool, status: bool, costs: bool) -> TextClause:
    """One fixed statement per combination of filters, so each is prepared once per connection."""
    where = [w for w, on in (("store_id = ANY(CAST(:scope AS uuid[]))", scoped),
                             ("store_id = (SELECT id FROM stores WHERE code = :store)", store),
                             ("vendor_id = :vendor", vendor), ("status = :status", status)) if on]
    return text(_PAGE.format(where=" AND ".join(where) or "true",
                             created=_iso("o.created_at"), updated=_iso("o.updated_at"),
                             total=_TOTAL if costs else "", line_costs=_LINE_COSTS if costs else "",
                             order_costs=", lines.total_minor" if costs else ""))


def order_page_json(session: Session, actor: Actor, *, store_code: str | None,
                    vendor_id: uuid.UUID | None, status: str | None, limit: int,
                    offset: int) -> str:
    """The JSON of the orders `orders.listing` picks (newest number first, within the actor's
    stores), each with its lines in line order: "[]" when none (the caller tells why)."""
    scope = actor.scope
    statement = _statement(not scope.all_stores, store_code is not None, vendor_id is not None,
                           status is not None, actor.sees_costs)
    return session.execute(statement, {"scope": list(scope.store_ids), "store": store_code,
                                       "vendor": vendor_id, "status": status, "limit": limit,
                                       "offset": offset}).scalar_one()
