"""Cost prices and supplier terms behind PostgreSQL privileges (second wall; hq_server.db.cost_wall).

* Role `tillhq_no_costs` (NOLOGIN), granted to the login that migrates (the app's login). A
  request of a user without the cost right runs under `SET LOCAL ROLE tillhq_no_costs`.
* It may read and write every table the app has, except:
  - supplier_ledger (what is owed and paid per vendor): no privilege at all;
  - the cost columns (products.cost_minor, vendor_products.unit_cost_minor,
    purchase_order_lines.unit_cost_minor, vendors.payment_terms_days): the tables that hold
    them are granted column by column, without those.
* stock_movements is granted column by column too: 0016 adds its unit cost, which must stay
  hidden, and a column added after a column-level grant is hidden until granted.
* Tables created by later migrations are granted whole (ALTER DEFAULT PRIVILEGES); a later cost
  table or cost column must be hidden by its own migration (tests/integration/hq/
  test_cost_wall.py compares the grants with cost_wall.COST_TABLES / COST_COLUMNS).

The names are written out here, not imported, so this migration keeps meaning what it meant.
Roles belong to the whole cluster, not to one database: creating it tolerates "already there"
and the downgrade drops it only when no other database still uses it.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

ROLE = "tillhq_no_costs"
COST_TABLES = ("supplier_ledger",)
HIDDEN_COLUMNS = {
    "products": ("cost_minor",),
    "vendor_products": ("unit_cost_minor",),
    "purchase_order_lines": ("unit_cost_minor",),
    "vendors": ("payment_terms_days",),
    "stock_movements": (),  # 0016's unit_cost_minor: hidden by being granted column by column
}
TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"

# Made here when missing (the login needs CREATEROLE); a DBA may instead make it beforehand
# (CREATE ROLE tillhq_no_costs NOLOGIN; GRANT tillhq_no_costs TO <login>) and nothing is redone.
_CREATE_ROLE = f"""
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') THEN
        BEGIN
            CREATE ROLE {ROLE} NOLOGIN;
        EXCEPTION WHEN duplicate_object THEN NULL;  -- made meanwhile, for another database
        END;
    END IF;
    IF NOT pg_has_role(current_user, '{ROLE}', 'MEMBER') THEN
        EXECUTE format('GRANT {ROLE} TO %I', current_user);
    END IF;
END $$
"""
# The role may still hold grants in another database of the cluster (or not be ours to drop).
_DROP_ROLE = f"""
DO $$ BEGIN
    DROP ROLE {ROLE};
EXCEPTION WHEN dependent_objects_still_exist OR insufficient_privilege THEN
    RAISE NOTICE '{ROLE} is still used elsewhere or not ours to drop; it stays';
END $$
"""


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(_CREATE_ROLE)
    op.execute(f"GRANT USAGE ON SCHEMA public TO {ROLE}")
    for table in _tables():
        if table in COST_TABLES:
            continue
        if table in HIDDEN_COLUMNS:
            _grant_columns(table, HIDDEN_COLUMNS[table])
        else:
            op.execute(f"GRANT {TABLE_PRIVILEGES} ON {table} TO {ROLE}")
    op.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {ROLE}")
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {TABLE_PRIVILEGES} ON TABLES TO {ROLE}")
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {ROLE}")


def downgrade() -> None:
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM {ROLE}")
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM {ROLE}")
    # Every grant in this database, column grants included (REVOKE ALL ON ALL TABLES misses those).
    op.execute(f"DROP OWNED BY {ROLE}")
    op.execute(_DROP_ROLE)


def _tables() -> list[str]:
    rows = op.get_bind().execute(sa.text(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"))
    return [name for (name,) in rows]


def _grant_columns(table: str, hidden: tuple[str, ...]) -> None:
    rows = op.get_bind().execute(sa.text(
        "SELECT attname FROM pg_attribute WHERE attrelid = CAST(:table AS regclass) "
        "AND attnum > 0 AND NOT attisdropped ORDER BY attnum"), {"table": table})
    shown = ", ".join(f'"{name}"' for (name,) in rows if name not in hidden)
    op.execute(f"GRANT SELECT ({shown}), INSERT ({shown}), UPDATE ({shown}) ON {table} TO {ROLE}")
    op.execute(f"GRANT DELETE ON {table} TO {ROLE}")
