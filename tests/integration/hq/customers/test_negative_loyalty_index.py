"""A customer's negative-loyalty exceptions are found through migration 0021's index, not by
reading every exception (real PostgreSQL, the customer page's own query and parameters)."""

from __future__ import annotations

import uuid

import psycopg
from sqlalchemy import event

from hq_server.auth.identity import StoreScope
from hq_server.customers import repository as customers
from hq_server.db.session import psycopg_conninfo
from tests.integration.hq.helpers import in_transaction

MANY = """
INSERT INTO exceptions (id, kind, dedupe_key, details, raised_at)
SELECT gen_random_uuid(), kind, kind || ':' || n,
       jsonb_build_object('customer_id', (%s::uuid)::text || '-' || (n %% 500)),
       now() - n * interval '1 minute'
FROM generate_series(1, 4000) AS n, unnest(ARRAY['negative_loyalty', 'oversell']) AS kind
"""


def test_the_customer_page_finds_a_customers_exceptions_through_the_index(hq_database_url):
    customer = uuid.uuid4()
    with psycopg.connect(psycopg_conninfo(hq_database_url), autocommit=True) as conn:
        conn.execute(MANY, (str(uuid.uuid4()),))
        conn.execute("INSERT INTO exceptions (id, kind, dedupe_key, details) VALUES "
                     "(gen_random_uuid(), 'negative_loyalty', 'mine', %s)",
                     (f'{{"customer_id": "{customer}"}}',))
        conn.execute("ANALYZE exceptions")

    def plan(session) -> tuple[list, str]:  # noqa: ANN001
        seen: list[tuple] = []
        engine = session.get_bind()
        listener = lambda *args: seen.append((args[2], args[3]))  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        found = customers.negative_loyalty(session, customer, StoreScope(True), 20)
        event.remove(engine, "before_cursor_execute", listener)
        (statement, parameters), = seen
        lines = session.connection().exec_driver_sql("EXPLAIN " + statement, parameters).all()
        return found, "\n".join(line for (line,) in lines)

    found, explained = in_transaction(hq_database_url, plan)

    assert [row.ChainException.dedupe_key for row in found] == ["mine"]
    assert "ix_exceptions_negative_loyalty_customer" in explained, explained
    assert "Seq Scan on exceptions" not in explained, explained
