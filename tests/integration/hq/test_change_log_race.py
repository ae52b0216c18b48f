"""The change-log cursor never skips a change that commits late (ARCHITECTURE.md, Pull)."""

import random
import threading
import time
import uuid

from hq_server.changelog.service import ChangeRow, append_changes
from hq_server.db.session import make_engine, make_session_factory, transaction
from hq_server.devices.service import DeviceIdentity
from hq_server.sync.pull import read_page

WRITERS, TRANSACTIONS_EACH = 6, 15


def test_a_reader_following_its_cursor_sees_every_change_exactly_once_while_writers_race(hq_database_url):
    engine = make_engine(hq_database_url, pool_size=WRITERS + 2)
    factory = make_session_factory(engine)
    reader_device = DeviceIdentity(uuid.uuid4(), uuid.uuid4(), "reader")
    written: list[str] = []
    written_lock = threading.Lock()
    done = threading.Event()

    def writer(n: int) -> None:
        rng = random.Random(n)
        for t in range(TRANSACTIONS_EACH):
            ids = [f"w{n}-t{t}-r{r}" for r in range(rng.randint(1, 3))]
            with transaction(factory) as session:
                time.sleep(rng.uniform(0, 0.01))  # other work before the change log
                append_changes(session, [ChangeRow("product", i, {"sku": i}) for i in ids])
                time.sleep(rng.uniform(0, 0.02))  # commit late, while the reader reads
            with written_lock:
                written.extend(ids)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    seen: list[str] = []
    cursor = 0
    while True:
        finished = done.is_set()
        page = read_page(factory, reader_device, cursor, limit=7)
        seen += [c.data["sku"] for c in page.changes]
        assert all(c.cursor > cursor for c in page.changes)
        cursor = page.next_cursor
        if finished and not page.has_more:
            break
        if all(not t.is_alive() for t in threads):
            done.set()
        time.sleep(0.001)
    engine.dispose()

    assert len(written) >= WRITERS * TRANSACTIONS_EACH
    assert sorted(seen) == sorted(written)
    assert len(seen) == len(set(seen))
