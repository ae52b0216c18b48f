"""Applying a staged, checked product file: set-based SQL, inside the caller's transaction.

Only rows that differ from the catalogue are written, audited and published, so importing the
same file twice changes nothing the second time.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from hq_server.catalogue_admin.staging import STAGING

S = STAGING
_FIELDS = ("name", "description", "category", "unit", "tax_class", "price_minor", "cost_minor",
           "active", "parent_id", "attributes")
_CURRENT_CODES = """(SELECT coalesce(array_agg(b.barcode ORDER BY b.barcode COLLATE "C"), '{}')
                     FROM product_barcodes b WHERE b.product_id = p.id)"""

RESOLVE_IDS = (
    f"UPDATE {S} s SET id = p.id, existed = true FROM products p WHERE p.sku = s.sku",
    f"UPDATE {S} SET id = new_id WHERE id IS NULL",
    f"""UPDATE {S} s SET parent_id = x.id FROM (
            SELECT c.row_no, coalesce(o.id, p.id) AS id FROM {S} c
            LEFT JOIN {S} o ON o.sku = c.parent_sku LEFT JOIN products p ON p.sku = c.parent_sku
            WHERE c.parent_sku IS NOT NULL) x
        WHERE x.row_no = s.row_no""",
    f"ANALYZE {S}",
)
MARK_CHANGES = (
    f"UPDATE {S} SET change = 'created' WHERE NOT existed",
    f"""UPDATE {S} s SET change = 'updated' FROM products p
        WHERE p.id = s.id AND s.existed
        AND ({', '.join(f'p.{f}' for f in _FIELDS)}, {_CURRENT_CODES})
            IS DISTINCT FROM ({', '.join(f's.{f}' for f in _FIELDS)}, s.barcodes)""",
)


def _snapshot(alias: str, codes: str, parent: str) -> str:
    return f"""jsonb_build_object('sku', {alias}.sku, 'name', {alias}.name,
        'description', {alias}.description, 'category', {alias}.category, 'unit', {alias}.unit,
        'tax_class', {alias}.tax_class, 'price_minor', {alias}.price_minor,
        'cost_minor', {alias}.cost_minor, 'active', {alias}.active, 'parent_sku', {parent},
        'attributes', {alias}.attributes, 'barcodes', to_jsonb({codes}))"""


# Written before the products change, so `before` is read from the catalogue as it was.
AUDIT = f"""
INSERT INTO audit_log (user_id, action, entity, entity_id, before, after, ip)
SELECT CAST(:user_id AS uuid), 'product.' || s.change, 'product', s.id::text,
       CASE WHEN s.existed THEN {_snapshot('p', _CURRENT_CODES,
                                           '(SELECT q.sku FROM products q WHERE q.id = p.parent_id)')}
       END,
       {_snapshot('s', 's.barcodes', 's.parent_sku')}, CAST(:ip AS inet)
FROM {S} s LEFT JOIN products p ON p.id = s.id
WHERE s.change IS NOT NULL ORDER BY s.row_no"""

WRITE = (
    f"""INSERT INTO products (id, sku, name, description, category, unit, tax_class, price_minor,
            cost_minor, currency, active, parent_id, attributes, updated_at)
        SELECT id, sku, name, description, category, unit, tax_class, price_minor, cost_minor,
               :currency, active, parent_id, attributes, now()
        FROM {S} WHERE change = 'created' ORDER BY row_no""",
    f"""UPDATE products p SET {', '.join(f'{f} = s.{f}' for f in _FIELDS)}, updated_at = now()
        FROM {S} s WHERE s.change = 'updated' AND p.id = s.id""",
    # Barcodes leave their old product before they join a new one (a move inside the file).
    f"""DELETE FROM product_barcodes b USING {S} s
        WHERE s.change IS NOT NULL AND b.product_id = s.id AND b.barcode <> ALL (s.barcodes)""",
    f"""INSERT INTO product_barcodes (barcode, product_id)
        SELECT code, s.id FROM {S} s CROSS JOIN unnest(s.barcodes) AS code
        WHERE s.change IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM product_barcodes b WHERE b.barcode = code AND b.product_id = s.id)""",
)
# One import at a time: two at once could each pass the barcode checks against the other.
IMPORT_LOCK_SQL = "SELECT pg_advisory_xact_lock(7310000010)"


def mark_changes(session: Session) -> dict[str, int]:
    for statement in (*RESOLVE_IDS, *MARK_CHANGES):
        session.execute(text(statement))
    counts = dict(session.execute(text(
        f"SELECT coalesce(change, 'unchanged'), count(*) FROM {S} GROUP BY 1")).all())
    return {k: int(counts.get(k, 0)) for k in ("created", "updated", "unchanged")}


def apply_changes(session: Session, currency: str, user_id: object, ip: str | None) -> list:
    """Audit, then write the changed rows; returns the ids of the products that changed."""
    session.execute(text(AUDIT), {"user_id": user_id, "ip": ip})
    for statement in WRITE:
        session.execute(text(statement), {"currency": currency})
    return list(session.scalars(text(f"SELECT id FROM {S} WHERE change IS NOT NULL")))
