"""Whole-file checks on the staged rows: each query yields (row, column, message in words)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from hq_server.catalogue_admin.csv_format import RowError
from hq_server.catalogue_admin.staging import STAGING

S = STAGING
CHECKS = (
    # The same SKU twice: the later rows are the mistake.
    f"""SELECT row_no, 'sku', format('SKU %s is also on row %s', sku, first) FROM (
          SELECT row_no, sku, min(row_no) OVER (PARTITION BY sku) AS first FROM {S}
          WHERE sku <> '') d WHERE row_no > first""",
    f"""SELECT row_no, 'barcodes', format('barcode %s is also on row %s', code, first) FROM (
          SELECT row_no, code, min(row_no) OVER (PARTITION BY code) AS first
          FROM {S}, unnest(barcodes) AS code) d WHERE row_no > first""",
    # A barcode may move between two products of the file; one outside the file keeps it.
    f"""SELECT s.row_no, 'barcodes', format('barcode %s already belongs to product %s, which is '
                                           'not in this file', code, p.sku)
        FROM {S} s CROSS JOIN unnest(s.barcodes) AS code
        JOIN product_barcodes b ON b.barcode = code JOIN products p ON p.id = b.product_id
        WHERE p.sku <> s.sku AND NOT EXISTS (SELECT 1 FROM {S} o WHERE o.sku = p.sku)""",
    f"""SELECT s.row_no, 'parent_sku', format('unknown parent %s: no product with that SKU in '
                                             'the file or the catalogue', s.parent_sku)
        FROM {S} s WHERE s.parent_sku IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM {S} o WHERE o.sku = s.parent_sku)
        AND NOT EXISTS (SELECT 1 FROM products p WHERE p.sku = s.parent_sku)""",
    # Variants have one level: a parent may not itself be a variant. Joins, not correlated
    # subqueries: the planner misjudges a freshly updated temp table and loops over it.
    f"""SELECT s.row_no, 'parent_sku', format('parent %s is itself a variant of %s; variants have '
                                             'one level', s.parent_sku, g.grand)
        FROM {S} s JOIN (
            SELECT o.sku, o.parent_sku AS grand FROM {S} o WHERE o.parent_sku IS NOT NULL
            UNION ALL
            SELECT p.sku, q.sku FROM products p JOIN products q ON q.id = p.parent_id
            WHERE NOT EXISTS (SELECT 1 FROM {S} o WHERE o.sku = p.sku)) g ON g.sku = s.parent_sku""",
    f"""SELECT s.row_no, 'parent_sku', format('%s has variants (%s), so it cannot be a variant '
                                             'itself', s.sku, min(c.child))
        FROM {S} s JOIN (
            SELECT o.parent_sku AS parent, o.sku AS child FROM {S} o WHERE o.parent_sku IS NOT NULL
            UNION ALL
            SELECT p.sku, c.sku FROM products c JOIN products p ON p.id = c.parent_id
            WHERE NOT EXISTS (SELECT 1 FROM {S} o WHERE o.sku = c.sku)) c ON c.parent = s.sku
        WHERE s.parent_sku IS NOT NULL GROUP BY s.row_no, s.sku""",
    # Once the chain has tax rates, a new or changed class must be one of them (a till could not
    # tax it); a product keeping the class it has is let be.
    f"""SELECT s.row_no, 'tax_class', format('unknown tax class %s; the chain has %s', s.tax_class,
                                            (SELECT string_agg(DISTINCT tax_class, ', ') FROM tax_rates))
        FROM {S} s WHERE EXISTS (SELECT 1 FROM tax_rates)
        AND NOT EXISTS (SELECT 1 FROM tax_rates t WHERE t.tax_class = s.tax_class)
        AND NOT EXISTS (SELECT 1 FROM products p WHERE p.sku = s.sku AND p.tax_class = s.tax_class)""",
    f"""SELECT s.row_no, 'price', format('product %s is priced in %s; this import is in %s',
                                        s.sku, p.currency, CAST(:currency AS text))
        FROM {S} s JOIN products p ON p.sku = s.sku WHERE p.currency <> :currency""",
)


def whole_file_errors(session: Session, currency: str) -> list[RowError]:
    errors = []
    for check in CHECKS:
        rows = session.execute(text(check), {"currency": currency}).all()
        errors += [RowError(row, column, message) for row, column, message in rows]
    return errors
