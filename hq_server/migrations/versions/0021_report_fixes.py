"""Report fixes: negative-loyalty lookup by customer; supplier ledger row-level security.

* exceptions: a customer's page lists their negative-loyalty exceptions newest first
  (hq_server.customers.repository.negative_loyalty); without this index that reads every
  exception of the kind. Partial on the kind, so the ingest of every other exception (oversells
  come by the line) pays nothing for it.
* supplier_ledger (what is owed to vendors): row-level security as a second wall behind 0015's
  missing privilege. A request of a user without the cost right runs as `tillhq_no_costs` (SET
  LOCAL ROLE); a restrictive policy shows that role no row even if a privilege were granted by
  mistake. The test is on `current_user`, not on membership: the app's login is a member of
  `tillhq_no_costs` (0015) and must keep seeing the ledger when it is not acting as it (the
  table owner bypasses the policies anyway; a login that is not the owner would not). A
  permissive policy for everyone keeps every other role as before.
  Vendors' payment terms are a column, which a row policy cannot hide: they stay behind 0015's
  column privileges.

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

ROLE = "tillhq_no_costs"  # written out, as in 0015
LOYALTY_INDEX = "ix_exceptions_negative_loyalty_customer"
EVERYONE_POLICY = "supplier_ledger_everyone"
NO_COSTS_POLICY = "supplier_ledger_not_without_costs"


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_index(LOYALTY_INDEX, "exceptions",
                    [sa.text("(details ->> 'customer_id')"), sa.text("raised_at DESC")],
                    postgresql_where=sa.text("kind = 'negative_loyalty'"))
    op.execute("ALTER TABLE supplier_ledger ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY {EVERYONE_POLICY} ON supplier_ledger USING (true) WITH CHECK (true)")
    op.execute(f"CREATE POLICY {NO_COSTS_POLICY} ON supplier_ledger AS RESTRICTIVE TO {ROLE} "
               f"USING (current_user <> '{ROLE}') WITH CHECK (current_user <> '{ROLE}')")


def downgrade() -> None:
    op.execute(f"DROP POLICY {NO_COSTS_POLICY} ON supplier_ledger")
    op.execute(f"DROP POLICY {EVERYONE_POLICY} ON supplier_ledger")
    op.execute("ALTER TABLE supplier_ledger DISABLE ROW LEVEL SECURITY")
    op.drop_index(LOYALTY_INDEX, table_name="exceptions")
