import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from hq_server.db.all_models import Base
from hq_server.db.migrate import alembic_config, upgrade
from hq_server.seed.demo import seed_demo
from shared.barcodes import is_valid_gtin
from tests.integration.hq.helpers import query, scalar


@pytest.fixture(scope="module")
def demo_url(pg_cluster):
    with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE demo_seed")
    url = pg_cluster.url_for("demo_seed")
    upgrade(url)
    summary = seed_demo(url, stores=2, products=200, days=3)
    assert not summary.skipped and summary.products == 200
    return url


def test_demo_on_hand_is_the_sum_of_movements_and_never_negative(demo_url):
    rows = query(demo_url, """
        SELECT s.on_hand, m.total FROM stock_on_hand s
        FULL JOIN (SELECT product_id, store_id, sum(delta) AS total FROM stock_movements
                   GROUP BY product_id, store_id) m USING (product_id, store_id)""")
    assert len(rows) == 2 * 200
    assert all(on_hand == total and on_hand >= 0 for on_hand, total in rows)


def test_demo_products_have_valid_unique_ean13_barcodes(demo_url):
    codes = [code for (code,) in query(demo_url, "SELECT barcode FROM product_barcodes")]
    assert len(codes) == 200 and all(len(c) == 13 and is_valid_gtin(c) for c in codes)


def test_demo_sales_add_up_and_money_is_integer_minor_units(demo_url):
    assert scalar(demo_url, "SELECT count(*) FROM sales") >= 2 * 3 * 60 * 0.8
    mismatched = scalar(demo_url, """
        SELECT count(*) FROM sales s JOIN (SELECT sale_id, sum(line_total_minor) t, count(*) n
        FROM sale_lines GROUP BY sale_id) l ON l.sale_id = s.id
        WHERE l.t <> s.total_minor OR l.n <> s.line_count""")
    assert mismatched == 0
    assert scalar(demo_url, "SELECT data_type FROM information_schema.columns "
                            "WHERE table_name='products' AND column_name='price_minor'") == "bigint"


def test_demo_catalogue_is_in_the_change_log_for_tills(demo_url):
    kinds = dict(query(demo_url, "SELECT kind, count(*) FROM change_log GROUP BY kind"))
    assert kinds == {"store": 2, "product": 200, "stock": 400, "till_user": 3}


def test_seeding_twice_does_nothing_the_second_time(demo_url):
    summary = seed_demo(demo_url, stores=2, products=200, days=3)
    assert summary.skipped and "already" in summary.message
    assert scalar(demo_url, "SELECT count(*) FROM products") == 200


def test_migrations_apply_to_head_on_an_empty_database_and_match_the_models(pg_cluster):
    with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE empty_migrate")
    url = pg_cluster.url_for("empty_migrate")

    upgrade(url)

    engine = create_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
        assert context.get_current_revision() == head
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


@pytest.mark.parametrize("statement", ["UPDATE events SET hlc = 'x'", "DELETE FROM events",
                                       "UPDATE stock_movements SET delta = 0", "DELETE FROM stock_movements"])
def test_postgresql_refuses_to_edit_facts(hq_server, till, statement):
    till.sell((hq_server.seed.products[0], 1))
    till.push()

    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
        query(hq_server.database_url, statement)
    assert scalar(hq_server.database_url, "SELECT count(*) FROM events") == 1
