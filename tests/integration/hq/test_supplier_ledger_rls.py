"""The supplier ledger behind two walls (migrations 0015 and 0021): `tillhq_no_costs` has no
privilege on it, and row-level security shows it no row even when a privilege is granted by
mistake. Real PostgreSQL; each grant is made inside a transaction that is rolled back."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest

from hq_server.db.cost_wall import NO_COSTS_ROLE
from hq_server.db.session import psycopg_conninfo

OWED = (2000, 3500)


@pytest.fixture
def ledger(hq_database_url: str) -> Iterator[psycopg.Connection]:
    """A connection as the app's login onto a database holding one vendor's two receipts."""
    with psycopg.connect(psycopg_conninfo(hq_database_url)) as conn:
        vendor = uuid.uuid4()
        conn.execute("INSERT INTO vendors (id, name, currency) VALUES (%s, 'Ledger Co', 'EUR')", (vendor,))
        for amount in OWED:
            conn.execute("INSERT INTO supplier_ledger (vendor_id, kind, amount_minor, currency) "
                         "VALUES (%s, 'receipt', %s, 'EUR')", (vendor, amount))
        conn.commit()
        yield conn
        conn.rollback()


def _count(conn: psycopg.Connection) -> int:
    return conn.execute("SELECT count(*) FROM supplier_ledger").fetchone()[0]


def test_the_no_costs_role_has_no_privilege_on_the_ledger(ledger) -> None:  # noqa: ANN001
    ledger.execute(f"SET LOCAL ROLE {NO_COSTS_ROLE}")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _count(ledger)


def test_a_mistaken_grant_still_shows_the_no_costs_role_no_row(ledger) -> None:  # noqa: ANN001
    assert _count(ledger) == len(OWED)
    ledger.execute(f"GRANT SELECT ON supplier_ledger TO {NO_COSTS_ROLE}")
    ledger.execute(f"SET LOCAL ROLE {NO_COSTS_ROLE}")

    assert _count(ledger) == 0
    assert ledger.execute("SELECT coalesce(sum(amount_minor), 0) FROM supplier_ledger").fetchone()[0] == 0


def test_a_mistaken_insert_grant_is_refused_by_the_policy(ledger) -> None:  # noqa: ANN001
    vendor = ledger.execute("SELECT vendor_id FROM supplier_ledger LIMIT 1").fetchone()[0]
    ledger.execute(f"GRANT SELECT, INSERT ON supplier_ledger TO {NO_COSTS_ROLE}")
    ledger.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {NO_COSTS_ROLE}")
    ledger.execute(f"SET LOCAL ROLE {NO_COSTS_ROLE}")

    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        ledger.execute("INSERT INTO supplier_ledger (vendor_id, kind, amount_minor, currency) "
                       "VALUES (%s, 'payment', -100, 'EUR')", (vendor,))


def test_a_login_that_is_a_member_of_the_role_still_reads_the_ledger_as_itself(ledger) -> None:  # noqa: ANN001
    """The app's login is a member of tillhq_no_costs (0015), and need not own the tables: the
    policy hides rows from the role in use, not from its members."""
    login = f"app_{uuid.uuid4().hex[:8]}"
    ledger.execute(f"CREATE ROLE {login} NOLOGIN IN ROLE {NO_COSTS_ROLE}")
    ledger.execute(f"GRANT SELECT ON supplier_ledger TO {login}")
    ledger.execute(f"SET LOCAL ROLE {login}")

    assert _count(ledger) == len(OWED)
