"""Every migration goes down as well as up: head -> base -> head on a real PostgreSQL holding
rows, and the schema built the second time is the first one (and the models')."""

from __future__ import annotations

import uuid

import psycopg
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from hq_server.db.all_models import Base
from hq_server.db.migrate import alembic_config, upgrade
from hq_server.db.session import psycopg_conninfo
from hq_server.seed.small import seed_small

# What a migration makes in the schema, by name and definition.
SCHEMA = """
SELECT 'column', table_name || '.' || column_name,
       concat_ws(' ', data_type, is_nullable, column_default)
FROM information_schema.columns WHERE table_schema = 'public'
UNION ALL
SELECT 'constraint', conrelid::regclass::text || '.' || conname, pg_get_constraintdef(oid)
FROM pg_constraint WHERE connamespace = 'public'::regnamespace
UNION ALL
SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
UNION ALL
SELECT 'trigger', tgrelid::regclass::text || '.' || tgname, pg_get_triggerdef(oid)
FROM pg_trigger WHERE NOT tgisinternal
UNION ALL
SELECT 'policy', tablename || '.' || policyname, concat_ws(' ', permissive, roles::text, cmd, qual)
FROM pg_policies WHERE schemaname = 'public'
UNION ALL
SELECT 'row security', relname, relrowsecurity::text
FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'
UNION ALL
SELECT 'function', proname, pg_get_functiondef(oid)
FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND prokind = 'f'
    AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = pg_proc.oid AND d.deptype = 'e')
ORDER BY 1, 2
"""
TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"


def _read(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(psycopg_conninfo(url)) as conn:
        return conn.execute(sql).fetchall()


def _matches_the_models(url: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                    Base.metadata)
    finally:
        engine.dispose()


def test_head_down_to_base_and_up_again_builds_the_same_schema(pg_cluster):
    name = f"round_trip_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = pg_cluster.url_for(name)
    upgrade(url)
    seed_small(url)  # the way down meets rows: constraints put back must still hold
    first = _read(url, SCHEMA)

    command.downgrade(alembic_config(url), "base")
    assert _read(url, TABLES) == [("alembic_version",)]
    assert _read(url, "SELECT count(*) FROM alembic_version") == [(0,)]

    upgrade(url)
    assert _read(url, SCHEMA) == first
    assert _matches_the_models(url) == []
