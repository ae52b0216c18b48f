import threading

from shared.journal import seal
from tests.integration.hq.helpers import ScriptedTill, on_hand, query, scalar


def held(database_url: str) -> tuple[int, int, int]:
    return (scalar(database_url, "SELECT count(*) FROM events"),
            scalar(database_url, "SELECT count(*) FROM sales"),
            scalar(database_url, "SELECT count(*) FROM stock_movements WHERE reason = 'sale'"))


def test_a_pushed_sale_is_applied_once_and_on_hand_drops_by_the_sold_quantities(hq_server, till):
    shampoo, brush = hq_server.seed.products[0], hq_server.seed.products[3]
    store = hq_server.seed.store("S001")
    till.sell((shampoo, 2), (brush, 1))

    reply = till.push()

    assert reply.status_code == 200
    assert reply.json() == {"acked_seq": 1, "applied": 1, "duplicates": 0}
    assert on_hand(hq_server.database_url, shampoo.id, store.id) == 18
    assert on_hand(hq_server.database_url, brush.id, store.id) == 19
    assert on_hand(hq_server.database_url, shampoo.id, hq_server.seed.store("S002").id) == 20
    (total, lines), = query(hq_server.database_url, "SELECT total_minor, line_count FROM sales")
    assert total == 2 * shampoo.price_minor + brush.price_minor and lines == 2


def test_on_hand_is_always_the_sum_of_movements(hq_server, till):
    products = hq_server.seed.products
    for i in range(5):
        till.sell((products[i], 1), (products[i + 1], 2))
    assert till.push().status_code == 200

    mismatches = query(hq_server.database_url, """
        SELECT s.product_id FROM stock_on_hand s
        JOIN (SELECT product_id, store_id, sum(delta) AS total FROM stock_movements
              GROUP BY product_id, store_id) m USING (product_id, store_id)
        WHERE m.total <> s.on_hand""")
    assert mismatches == []


def test_pushing_the_same_batch_again_changes_nothing(hq_server, till):
    shampoo = hq_server.seed.products[0]
    till.sell((shampoo, 1))
    till.sell((shampoo, 3))
    assert till.push().json()["applied"] == 2

    again = till.push()

    assert again.status_code == 200
    assert again.json() == {"acked_seq": 2, "applied": 0, "duplicates": 2}
    assert held(hq_server.database_url) == (2, 2, 2)
    assert on_hand(hq_server.database_url, shampoo.id, hq_server.seed.store("S001").id) == 16


def test_the_same_batch_pushed_concurrently_is_applied_once(hq_server, till):
    shampoo = hq_server.seed.products[0]
    for _ in range(20):
        till.sell((shampoo, 1))
    replies = []
    start = threading.Barrier(2)

    def push() -> None:
        start.wait()
        replies.append(till.push())

    threads = [threading.Thread(target=push) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted((r.status_code, r.json()["applied"], r.json()["duplicates"]) for r in replies) == \
        [(200, 0, 20), (200, 20, 0)]
    assert held(hq_server.database_url) == (20, 20, 20)
    assert on_hand(hq_server.database_url, shampoo.id, hq_server.seed.store("S001").id) == 0


def test_more_tills_pushing_at_once_than_hq_applies_at_once_all_get_their_answers(hq_server):
    from hq_server.sync.endpoints import PUSH_THREADS

    from .helpers import enrol_till

    shampoo = hq_server.seed.products[0]
    tills = [enrol_till(hq_server, "S001" if i % 2 else "S002", f"till-{i}")
             for i in range(PUSH_THREADS * 2 + 2)]
    for till in tills:
        till.sell((shampoo, 1))
    start, replies = threading.Barrier(len(tills)), []

    def push(till: ScriptedTill) -> None:
        start.wait()
        replies.append(till.push())

    threads = [threading.Thread(target=push, args=(t,)) for t in tills]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert [(r.status_code, r.json()) for r in replies] == [
        (200, {"acked_seq": 1, "applied": 1, "duplicates": 0})] * len(tills)
    assert held(hq_server.database_url) == (len(tills),) * 3
    assert [on_hand(hq_server.database_url, shampoo.id, hq_server.seed.store(s).id)
            for s in ("S001", "S002")] == [20 - len(tills) // 2] * 2


def test_a_partly_duplicate_batch_applies_only_the_new_events(hq_server, till):
    product = hq_server.seed.products[1]
    for _ in range(5):
        till.sell((product, 1))
    assert till.push(till.journal[:3]).json()["acked_seq"] == 3

    reply = till.push(till.journal[1:5])

    assert reply.json() == {"acked_seq": 5, "applied": 2, "duplicates": 2}
    assert held(hq_server.database_url) == (5, 5, 5)
    assert on_hand(hq_server.database_url, product.id, hq_server.seed.store("S001").id) == 15


def test_a_training_sale_is_held_but_moves_no_stock(hq_server, till):
    product = hq_server.seed.products[2]
    till.sell((product, 4), training=True)

    assert till.push().json()["applied"] == 1
    assert held(hq_server.database_url) == (1, 0, 0)
    assert on_hand(hq_server.database_url, product.id, hq_server.seed.store("S001").id) == 20


def assert_refused(reply, status: int, error: str) -> dict:
    assert reply.status_code == status, reply.text
    body = reply.json()
    assert body["error"] == error and body["message"]
    return body


def test_a_tampered_event_is_refused_as_bad_hash_and_nothing_is_stored(hq_server, till):
    till.sell((hq_server.seed.products[0], 1))
    good = till.sell((hq_server.seed.products[0], 1))
    tampered = good.__class__(**{**good.to_dict(), "payload": {**good.payload, "total_minor": 1}})

    reply = till.push([till.journal[0], tampered])

    assert_refused(reply, 422, "bad_hash")
    assert held(hq_server.database_url) == (0, 0, 0)
    assert scalar(hq_server.database_url, "SELECT last_seq FROM devices") == 0


def test_a_seq_gap_is_refused_with_the_expected_seq(hq_server, till):
    for _ in range(3):
        till.sell((hq_server.seed.products[0], 1))
    assert till.push(till.journal[:1]).status_code == 200

    reply = till.push(till.journal[2:])

    assert assert_refused(reply, 409, "seq_gap")["expected_seq"] == 2
    assert held(hq_server.database_url) == (1, 1, 1)


def test_a_broken_chain_is_refused(hq_server, till):
    till.sell((hq_server.seed.products[0], 1))
    second = till.sell((hq_server.seed.products[0], 1))
    relinked = seal(**{**second.hashed_part(), "prev_hash": "f" * 64})

    reply = till.push([till.journal[0], relinked])

    assert_refused(reply, 409, "broken_chain")
    assert held(hq_server.database_url) == (0, 0, 0)


def test_the_same_event_id_with_new_content_is_a_conflict(hq_server, till):
    first = till.sell((hq_server.seed.products[0], 1))
    assert till.push().status_code == 200
    rewritten = seal(**{**first.hashed_part(), "hlc": till.clock.now().encode()})

    assert_refused(till.push([rewritten]), 409, "conflicting_event")
    assert held(hq_server.database_url) == (1, 1, 1)


def test_an_unknown_device_token_stores_nothing(hq_server, till):
    till.sell((hq_server.seed.products[0], 1))

    assert_refused(till.push(token="not-a-token"), 401, "unknown_device")
    assert held(hq_server.database_url) == (0, 0, 0)


def test_events_of_another_device_are_refused_as_wrong_device(hq_server, till, enrolment_code):
    till.sell((hq_server.seed.products[0], 1))
    other = ScriptedTill(hq_server.url, _second_code(hq_server), name="till-2")

    assert_refused(other.push(till.journal), 403, "wrong_device")
    assert_refused(till.push(device_id=other.device_id), 403, "wrong_device")
    assert held(hq_server.database_url) == (0, 0, 0)


def test_a_malformed_payload_is_refused_as_bad_payload(hq_server, till):
    till.record("SaleCompleted", 1, {"sale_id": "x", "lines": []})

    assert_refused(till.push(), 422, "bad_payload")
    assert held(hq_server.database_url) == (0, 0, 0)


def _second_code(hq_server) -> str:
    from hq_server.db.session import make_engine, make_session_factory, transaction
    from hq_server.devices.service import create_enrolment_code

    engine = make_engine(hq_server.database_url, pool_size=1)
    with transaction(make_session_factory(engine)) as session:
        code = create_enrolment_code(session, "S001")
    engine.dispose()
    return code


def _raw_push(till, body: bytes):  # noqa: ANN001, ANN202
    import httpx

    return httpx.post(f"{till.url}/api/v1/sync/push", content=body, timeout=30,
                      headers={**till.headers, "Content-Type": "application/json"})


def test_a_float_or_nan_anywhere_in_a_push_is_refused_in_words_and_nothing_is_stored(hq_server, till):
    import json

    till.sell((hq_server.seed.products[0], 1))
    till.sell((hq_server.seed.products[1], 2))
    good = json.dumps({"device_id": till.device_id,
                       "events": [e.to_dict() for e in till.journal]}).encode()

    for bad, says in ((good.replace(b'"quantity": 2', b'"quantity": 2.0'), "2.0 is not an integer"),
                      (good.replace(b'"change_minor": 0', b'"change_minor": NaN'), "NaN is not an integer")):
        assert bad != good
        body = assert_refused(_raw_push(till, bad), 422, "bad_payload")
        assert says in body["message"]
        assert held(hq_server.database_url) == (0, 0, 0)

    assert _raw_push(till, good).json() == {"acked_seq": 2, "applied": 2, "duplicates": 0}


def test_a_push_built_in_python_still_has_each_payload_checked_for_floats(hq_server, till):
    """Only a body parsed with floats refused (PushRequest.from_body) skips the hash check's walk
    over each payload; a request built any other way is walked as before."""
    import pytest

    from hq_server.devices.service import authenticate_for_push
    from hq_server.sync import service
    from hq_server.sync.errors import SyncRefused
    from shared.journal import JournalEvent
    from shared.wire import PushRequest, WireEvent

    from .helpers import in_transaction

    sale = till.sell((hq_server.seed.products[0], 1))
    floaty = JournalEvent(**{**sale.to_dict(), "payload": {**sale.payload, "total_minor": 12.5}})
    request = PushRequest(device_id=till.device_id, events=[WireEvent.from_journal(floaty)])
    assert not request.payloads_are_plain

    def push(session):  # noqa: ANN001, ANN202
        return service.push(session, authenticate_for_push(session, till.token), request)

    with pytest.raises(SyncRefused) as refused:
        in_transaction(hq_server.database_url, push)
    assert refused.value.code == "bad_payload" and "float at .payload.total_minor" in str(refused.value)
    assert held(hq_server.database_url) == (0, 0, 0)
