"""Migration 0013 adds the "expiry" exception kind and the batch tables, and takes them away."""

from __future__ import annotations

import psycopg
import pytest
from alembic import command

from hq_server.db.migrate import alembic_config, upgrade
from hq_server.db.session import psycopg_conninfo
from tests.integration.hq.helpers import query

KIND_CHECK = ("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
              "WHERE conrelid = 'exceptions'::regclass AND contype = 'c'")
BATCH_TABLES = ("SELECT count(*) FROM pg_tables WHERE tablename IN ('batch_tracked_products', "
                "'batch_alert_windows', 'product_batches', 'batch_remainders', 'batch_allocations')")


def test_0013_downgrades_to_0012_and_upgrades_again(pg_cluster):
    with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE batches_down_up")
    url = pg_cluster.url_for("batches_down_up")
    upgrade(url)
    at_head = query(url, KIND_CHECK)
    assert "'expiry'" in at_head[0][1] and query(url, BATCH_TABLES) == [(5,)]

    command.downgrade(alembic_config(url), "0012")

    assert "'expiry'" not in query(url, KIND_CHECK)[0][1] and query(url, BATCH_TABLES) == [(0,)]
    upgrade(url)
    assert query(url, KIND_CHECK) == at_head and query(url, BATCH_TABLES) == [(5,)]


def test_the_allocation_ledger_is_append_only(hq_database_url):
    for statement in ("UPDATE batch_allocations SET quantity = 0", "DELETE FROM batch_allocations"):
        with psycopg.connect(psycopg_conninfo(hq_database_url)) as conn:
            conn.execute("INSERT INTO batch_allocations (movement_id, product_id, store_id, quantity) "
                         "VALUES (1, gen_random_uuid(), gen_random_uuid(), 1)")
            with pytest.raises(psycopg.Error, match="batch_allocations is append-only"):
                conn.execute(statement)
