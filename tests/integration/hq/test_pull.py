import threading
import time

from hq_server.catalog.service import set_price
from hq_server.db.session import make_engine, make_session_factory, transaction


def pull_all(till, limit: int) -> list[dict]:
    changes, cursor = [], 0
    while True:
        page = till.pull(cursor, limit=limit).json()
        changes += page["changes"]
        assert page["next_cursor"] == (page["changes"][-1]["cursor"] if page["changes"] else cursor)
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return changes


def test_pull_pages_through_the_change_log_in_cursor_order(hq_server, till):
    changes = pull_all(till, limit=5)

    cursors = [c["cursor"] for c in changes]
    assert cursors == sorted(set(cursors))
    kinds = [c["kind"] for c in changes]
    assert kinds.count("store") == 2 and kinds.count("product") == 10
    product = next(c["data"] for c in changes if c["kind"] == "product")
    assert set(product) == {"product_id", "sku", "name", "barcodes", "price_minor", "currency",
                            "tax_class", "active"}


def test_a_till_pulls_only_its_own_stores_stock(hq_server, till):
    stock = [c["data"] for c in pull_all(till, limit=7) if c["kind"] == "stock"]

    assert len(stock) == 10
    assert {s["store_id"] for s in stock} == {till.store_id}
    assert all(s["on_hand"] == 20 for s in stock)


def test_an_empty_pull_returns_the_same_cursor_and_no_more(hq_server, till):
    end = pull_all(till, limit=500)[-1]["cursor"]

    page = till.pull(end).json()

    assert page == {"changes": [], "next_cursor": end, "has_more": False}


def test_a_sale_pushed_shows_up_as_a_stock_change(hq_server, till):
    end = pull_all(till, limit=500)[-1]["cursor"]
    till.sell((hq_server.seed.products[0], 3))
    till.push()

    page = till.pull(end).json()

    assert [(c["kind"], c["data"]["on_hand"]) for c in page["changes"]] == [("stock", 17)]


def test_a_long_poll_returns_soon_after_a_change_is_made(hq_server, till):
    end = pull_all(till, limit=500)[-1]["cursor"]
    result = {}

    def long_poll() -> None:
        reply = till.pull(end, wait=10)
        result["page"], result["at"] = reply.json(), time.monotonic()

    poller = threading.Thread(target=long_poll)
    poller.start()
    time.sleep(0.5)
    engine = make_engine(hq_server.database_url, pool_size=1)
    with transaction(make_session_factory(engine)) as session:
        set_price(session, "SHA-ARG-250", 949)
    changed_at = time.monotonic()
    engine.dispose()
    poller.join(timeout=15)

    assert result["at"] - changed_at < 1.0
    assert [(c["kind"], c["data"]["sku"], c["data"]["price_minor"]) for c in result["page"]["changes"]] \
        == [("product", "SHA-ARG-250", 949)]


def test_a_long_poll_with_no_news_waits_then_returns_empty(hq_server, till):
    end = pull_all(till, limit=500)[-1]["cursor"]
    started = time.monotonic()

    page = till.pull(end, wait=0.6).json()

    assert 0.5 < time.monotonic() - started < 3
    assert page["changes"] == [] and page["next_cursor"] == end


def test_pull_refuses_a_limit_above_2000(hq_server, till):
    assert till.pull(0, limit=2001).status_code == 422
