import asyncio
import contextlib
from datetime import UTC, datetime, timedelta

from hq_server.catalogue_admin.prices import add_price, run_price_scheduler
from hq_server.catalogue_admin.products import product_by_sku
from hq_server.cli import main
from hq_server.db.session import make_engine, make_session_factory
from tests.integration.hq.catalogue.conftest import family_csv
from tests.integration.hq.helpers import in_transaction, query


def test_the_cli_imports_a_file_and_prints_the_problems_of_a_bad_one(seeded_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", seeded_url)
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(family_csv("CLI", "00030"))
    bad.write_text("sku,name,price\nCLI-X,Broken,12,5\n")

    assert main(["import-products", str(good)]) == 0
    assert "imported: 3 new, 0 changed, 0 unchanged of 3 rows" in capsys.readouterr().out
    assert main(["import-products", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "nothing imported: 1 problem(s)" in err and "2,,the row has 4 cells; the header has 3" in err
    assert query(seeded_url, "SELECT count(*) FROM products WHERE sku LIKE 'CLI%%'")[0][0] == 3


def test_the_scheduler_in_the_app_publishes_a_price_whose_start_has_come(seeded_url, monkeypatch, capsys):
    started = datetime.now(UTC) - timedelta(seconds=1)
    in_transaction(seeded_url, lambda s: add_price(
        s, None, product=product_by_sku(s, "VIT-BIO-60"), store=None, price_minor=1799,
        starts_at=started, now=started - timedelta(hours=1)))  # made an hour ago, due now
    assert _published_prices(seeded_url) == [1999]

    engine = make_engine(seeded_url, pool_size=1)
    asyncio.run(_run_briefly(make_session_factory(engine)))
    engine.dispose()

    assert _published_prices(seeded_url) == [1999, 1799]
    monkeypatch.setenv("DATABASE_URL", seeded_url)
    assert main(["apply-scheduled-prices"]) == 0
    assert "0 scheduled price change(s)" in capsys.readouterr().out


async def _run_briefly(factory) -> None:  # noqa: ANN001
    task = asyncio.create_task(run_price_scheduler(factory, interval=30))
    for _ in range(100):
        await asyncio.sleep(0.05)
        if len(await asyncio.to_thread(_published_prices_from, factory)) > 1:
            break
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def _published_prices(url: str) -> list[int]:
    return [r[0] for r in query(url, "SELECT (data->>'price_minor')::int FROM change_log WHERE "
                                     "kind = 'product' AND data->>'sku' = 'VIT-BIO-60' ORDER BY id")]


def _published_prices_from(factory) -> list:  # noqa: ANN001
    from sqlalchemy import text

    with factory() as session:
        return list(session.scalars(text("SELECT id FROM change_log WHERE kind = 'product' "
                                         "AND data->>'sku' = 'VIT-BIO-60'")))
