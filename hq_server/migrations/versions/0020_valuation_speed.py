"""FIFO valuation speed: the receipt layers as a function PostgreSQL can run in a parallel worker.

FIFO valuation is stock rows at today's cost (a parallel scan) plus, per receipt layer that
on-hand reaches, a correction; a layer needs the units received after it at its store, a window
sum, and PostgreSQL 15 runs a subquery with a window function only in the leader, after the
stock rows (about 3.5 of the 4.9 s the bench chain's 2 million receipts took). Called from a
function, the layers become a branch a Parallel Append hands to one worker while others read
the stock rows, and the valuation calls it once per range of products, so the ranges run side
by side (one per worker).

fifo_layer_sums(store_ids, first_product, below_product, per_product) sums, per store, category
and currency (and product when per_product), the layers of the receipts (stock movements with
reason "receipt" carrying their unit cost, 0016) of products in [first_product, below_product)
(NULL: no bound) at store_ids (NULL: every store): `taken`, the units on hand each layer covers,
newest first, and `correction_minor`, taken x (layer cost - the product's cost today). A receipt
without a cost still covers units (its own, valued at today's cost). STABLE: it reads with the
calling statement's snapshot, so the layers and the stock rows are one picture. Its query is
planned on each call with the bounds known (EXECUTE), so they become index ranges.

Only a function is added (no table or index is touched); hq_server.reports.valuation calls it.

Revision ID: 0020
Revises: 0019
"""

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

_LAYER_SUMS = r"""
CREATE OR REPLACE FUNCTION fifo_layer_sums(store_ids uuid[], first_product uuid, below_product uuid,
                                per_product boolean)
RETURNS TABLE (product_id uuid, store_id uuid, category text, currency text,
               correction_minor bigint, taken bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE
-- The planner cannot see the work inside (4 s for the bench chain); without a cost it would
-- not hand the calls to parallel workers. ROWS: a few per store and category.
COST 1000000 ROWS 1000
AS $fn$
BEGIN
  RETURN QUERY EXECUTE $q$
    SELECT CASE WHEN $4 THEN layers.product_id END, layers.store_id, p.category, p.currency,
           sum(layers.taken * (layers.unit_cost_minor - p.cost_minor))::bigint,
           sum(layers.taken)::bigint
    FROM (SELECT product_id, store_id, unit_cost_minor,
                 least(units, on_hand - coalesce(newer, 0)) AS taken, on_hand, newer
          FROM (SELECT m.product_id, m.store_id, m.unit_cost_minor, m.delta::int AS units,
                       s.on_hand,
                       -- sum(integer) is bigint (sum(bigint) would be numeric)
                       sum(m.delta::int) OVER (PARTITION BY m.product_id, m.store_id
                                               ORDER BY m.id ROWS BETWEEN 1 FOLLOWING
                                                                AND UNBOUNDED FOLLOWING) AS newer
                FROM stock_movements m
                JOIN stock_on_hand s ON s.product_id = m.product_id AND s.store_id = m.store_id
                WHERE m.reason = 'receipt' AND s.on_hand > 0
                  -- bounds on both tables: a join passes equalities on, not these
                  AND ($1 IS NULL OR (m.store_id = ANY ($1) AND s.store_id = ANY ($1)))
                  AND ($2 IS NULL OR (m.product_id >= $2 AND s.product_id >= $2))
                  AND ($3 IS NULL OR (m.product_id < $3 AND s.product_id < $3))) received
          WHERE on_hand > coalesce(newer, 0)) layers
    JOIN products p ON p.id = layers.product_id
    WHERE layers.unit_cost_minor IS NOT NULL
    GROUP BY 1, 2, 3, 4
  $q$ USING store_ids, first_product, below_product, per_product;
END
$fn$
"""


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(_LAYER_SUMS)


def downgrade() -> None:
    op.execute("DROP FUNCTION fifo_layer_sums(uuid[], uuid, uuid, boolean)")
