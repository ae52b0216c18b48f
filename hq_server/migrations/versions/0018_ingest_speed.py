"""Ingest speed: no foreign keys on the rows a push appends by the hundred.

A 100-sale push appends 100 events, 100 sales and 400 sale lines, and when its stores run out,
up to one oversell exception per line; each foreign key on them is a trigger that looks its
parent up, row by row (~1,000 lookups a push, ~15% of PostgreSQL's time for the push; ~800 more
for an oversold one). Ingest writes these rows itself, with parents it has just checked or
written: the device is the authenticated (locked) device row, the store is that device's store,
and a sale's lines are appended with the sale in the same batch. Devices, stores and sales are
never deleted. The unique keys that give exactly-once (events' event_id and (device_id, seq),
sales' id, lines' (sale_id, line_no), exceptions' dedupe_key) stay.

Revision ID: 0018
Revises: 0017
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# (constraint, table, column, parent table)
FOREIGN_KEYS = (
    ("fk_events_device_id_devices", "events", "device_id", "devices"),
    ("fk_sales_device_id_devices", "sales", "device_id", "devices"),
    ("fk_sales_store_id_stores", "sales", "store_id", "stores"),
    ("fk_sale_lines_sale_id_sales", "sale_lines", "sale_id", "sales"),
    ("fk_exceptions_store_id_stores", "exceptions", "store_id", "stores"),
    ("fk_exceptions_device_id_devices", "exceptions", "device_id", "devices"),
)


def upgrade() -> None:
    for name, table, _, _ in FOREIGN_KEYS:
        op.drop_constraint(name, table, type_="foreignkey")


def downgrade() -> None:
    for name, table, column, parent in FOREIGN_KEYS:
        op.create_foreign_key(name, table, parent, [column], ["id"])
