"""Migration 0018 takes the foreign keys off the rows a push appends, keeps the keys that give
exactly-once, and puts the foreign keys back on the way down."""

from __future__ import annotations

import psycopg
from alembic import command

from hq_server.db.migrate import alembic_config, upgrade
from tests.integration.hq.helpers import query

HOT_TABLES = "('events'::regclass, 'sales'::regclass, 'sale_lines'::regclass, 'exceptions'::regclass)"
FOREIGN_KEYS = ("SELECT conname FROM pg_constraint WHERE contype = 'f' "
                f"AND conrelid IN {HOT_TABLES} ORDER BY conname")
UNIQUE_KEYS = ("SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u') "
               f"AND conrelid IN {HOT_TABLES} ORDER BY conname")
DROPPED = [("fk_events_device_id_devices",), ("fk_exceptions_device_id_devices",),
           ("fk_exceptions_store_id_stores",), ("fk_sale_lines_sale_id_sales",),
           ("fk_sales_device_id_devices",), ("fk_sales_store_id_stores",)]


def test_0018_drops_the_hot_foreign_keys_keeps_the_unique_ones_and_downgrades(pg_cluster):
    with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE ingest_down_up")
    url = pg_cluster.url_for("ingest_down_up")
    upgrade(url)
    unique = query(url, UNIQUE_KEYS)
    assert query(url, FOREIGN_KEYS) == [("fk_exceptions_resolved_by_user_id_hq_users",)]
    assert ("uq_events_device_id",) in unique and ("uq_exceptions_dedupe_key",) in unique

    command.downgrade(alembic_config(url), "0017")

    assert sorted(DROPPED + [("fk_exceptions_resolved_by_user_id_hq_users",)]) == query(url, FOREIGN_KEYS)
    upgrade(url)
    assert query(url, FOREIGN_KEYS) == [("fk_exceptions_resolved_by_user_id_hq_users",)]
    assert query(url, UNIQUE_KEYS) == unique
