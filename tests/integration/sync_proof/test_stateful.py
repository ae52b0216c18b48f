"""Property: whatever the network does, HQ ends up with every sale exactly once.

Three real tills (SQLite ledger files, two in S001 and one in S002), each enrolled at one real
HQ (uvicorn on 127.0.0.1 over PostgreSQL) through its own FaultyProxy. Hypothesis interleaves
sales (often more than is on hand), HQ price changes, partitions, lost answers, duplicated,
overlapping and out-of-order deliveries, crashes between commit and ack, and reconnects. When
everyone has reconnected and synced, the invariants of ARCHITECTURE.md's sync contract hold.

Budget: derandomized (the same examples every run), 10 examples of 3-15 opening sales then up to
30 steps; about 25 s on a 2-core machine, most of it enrolling three tills per example.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import requests
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from hq_server.catalog.service import set_price
from hq_server.db.session import make_engine, make_session_factory, transaction
from hq_server.devices.service import create_enrolment_code
from shared.merge import oversold_movements
from till.bootstrap import Till

from .helpers import (
    assert_holds_exactly,
    device_id,
    enrolled_till,
    hq_chain,
    hq_prices,
    journal,
    on_hand,
    push_raw,
    query,
    reopen,
    sale_deltas,
    sell,
)
from .proxy import FaultyProxy

STORES = ("S001", "S001", "S002")
PRODUCTS = 3  # few products, so tills compete for the same stock and oversell often
# A sale: up to three lines of (product index, quantity); 20 on hand, so overselling is common.
SALE = st.lists(st.tuples(st.integers(0, PRODUCTS - 1), st.integers(1, 9)), min_size=1, max_size=3)
SETTINGS = settings(max_examples=10, stateful_step_count=30, deadline=None, derandomize=True,
                    suppress_health_check=list(HealthCheck), print_blob=True)


@dataclass
class Lane:
    """One till and the line it talks to HQ through."""

    till: Till
    proxy: FaultyProxy
    device: str

    @property
    def partitioned(self) -> bool:
        return self.proxy.faults.down


def test_every_sale_reaches_hq_exactly_once_whatever_the_network_does(hq_server, tmp_path):
    engine = make_engine(hq_server.database_url, pool_size=2)
    factory = make_session_factory(engine)
    port = int(hq_server.url.rsplit(":", 1)[1])
    products = hq_server.seed.products[:PRODUCTS]
    try:
        run_state_machine_as_test(
            lambda: SyncWorld(hq_server, factory, port, products, tmp_path), settings=SETTINGS)
    finally:
        engine.dispose()


class SyncWorld(RuleBasedStateMachine):
    def __init__(self, hq, factory, port, products, tmp_path) -> None:  # noqa: ANN001
        super().__init__()
        self.hq, self.db, self.factory, self.products = hq, hq.database_url, factory, products
        self.port, self.root = port, tmp_path / uuid.uuid4().hex[:8]
        self.lanes: list[Lane] = []
        self.opening = on_hand(self.db)
        self.first_movement = query(self.db, "SELECT coalesce(max(id), 0) FROM stock_movements")[0][0]

    @initialize(opening_sales=st.lists(SALE, min_size=len(STORES), max_size=3 * len(STORES)))
    def enrol_tills_and_sell_before_the_first_sync(self, opening_sales: list) -> None:
        for i, store in enumerate(STORES):
            with transaction(self.factory) as session:
                code = create_enrolment_code(session, store)
            proxy = FaultyProxy(self.port)
            till = enrolled_till(self.root / f"till-{i}", proxy.url, code)
            self.lanes.append(Lane(till, proxy, device_id(till)))
        for i, lines in enumerate(opening_sales):
            self.a_till_sells(i % len(STORES), lines)

    def teardown(self) -> None:
        try:
            if len(self.lanes) == len(STORES):
                self.everyone_reconnects_and_syncs()
                self.check_final_invariants()
        finally:
            for lane in self.lanes:
                lane.till.close()
                lane.proxy.close()

    # --- rules -----------------------------------------------------------------------------------

    lane_no = st.integers(0, len(STORES) - 1)

    @rule(lane=lane_no, lines=SALE)
    def a_till_sells(self, lane: int, lines: list[tuple[int, int]]) -> None:
        sell(self.lanes[lane].till, [(self.products[p].barcode, q) for p, q in lines])

    @rule(product=st.integers(0, PRODUCTS - 1), price=st.integers(50, 5000))
    def hq_changes_a_price(self, product: int, price: int) -> None:
        with transaction(self.factory) as session:
            set_price(session, self.products[product].sku, price)

    @rule(lane=lane_no)
    def partition(self, lane: int) -> None:
        self.lanes[lane].proxy.cut()

    @rule(lane=lane_no)
    def reconnect(self, lane: int) -> None:
        self.lanes[lane].proxy.heal()

    @rule(lane=lane_no)
    def sync(self, lane: int) -> None:
        chosen = self.lanes[lane]
        held = len(hq_chain(self.db, chosen.device))
        status = chosen.till.agent.sync_once()
        if chosen.partitioned:
            assert not status["online"]
            assert len(hq_chain(self.db, chosen.device)) == held
        else:
            assert status["online"] and status["pending"] == 0, status
            assert len(hq_chain(self.db, chosen.device)) == len(journal(chosen.till))

    @rule(lane=lane_no, back=st.integers(0, 3), ahead=st.integers(0, 4), size=st.integers(1, 5))
    def deliver_without_the_till_hearing(self, lane: int, back: int, ahead: int, size: int) -> None:
        """A batch reaches HQ but the answer never reaches the till: lost, duplicated (back > 0),
        overlapping, or out of order (ahead > 1 leaves a gap, which HQ refuses without harm)."""
        chosen = self.lanes[lane]
        events = journal(chosen.till)
        held = len(hq_chain(self.db, chosen.device))
        first = max(1, held + 1 - back) if ahead <= 1 else held + ahead  # seq of the first event
        batch = events[first - 1:first - 1 + size]
        if not batch:
            return
        try:
            answer = push_raw(chosen.proxy.url, chosen.till, batch)
        except requests.ConnectionError:
            assert chosen.partitioned
            assert len(hq_chain(self.db, chosen.device)) == held
            return
        assert not chosen.partitioned
        if first > held + 1:
            assert answer.status_code == 409 and answer.json()["error"] == "seq_gap", answer.text
            assert answer.json()["expected_seq"] == held + 1
            return
        assert answer.status_code == 200, answer.text
        new = max(0, batch[-1].seq - held)
        assert answer.json() == {"acked_seq": max(held, batch[-1].seq), "applied": new,
                                 "duplicates": len(batch) - new}

    @rule(lane=lane_no, delivered_first=st.booleans())
    def till_crashes_between_commit_and_ack(self, lane: int, delivered_first: bool) -> None:
        chosen = self.lanes[lane]
        if delivered_first and not chosen.partitioned:
            pending = journal(chosen.till)[len(hq_chain(self.db, chosen.device)):]
            if pending:
                assert push_raw(chosen.proxy.url, chosen.till, pending).status_code == 200
        before = [(e.seq, e.hash) for e in journal(chosen.till)]
        chosen.till = reopen(chosen.till)
        assert [(e.seq, e.hash) for e in journal(chosen.till)] == before

    # --- invariants ------------------------------------------------------------------------------

    @invariant()
    def hq_holds_a_prefix_of_every_journal(self) -> None:
        for lane in self.lanes:
            held = hq_chain(self.db, lane.device)
            assert held == [(e.seq, e.hash) for e in journal(lane.till)][:len(held)]

    def everyone_reconnects_and_syncs(self) -> None:
        for lane in self.lanes:
            lane.proxy.heal()
        for lane in self.lanes:
            status = lane.till.agent.sync_once()
            assert status["online"] and status["pending"] == 0, status
        for lane in self.lanes:  # prices changed after an earlier till's pull
            lane.till.agent.sync_once()

    def check_final_invariants(self) -> None:
        for lane in self.lanes:
            assert_holds_exactly(self.db, lane.till)
        self._stock_is_opening_plus_every_sale_once()
        self._tills_show_hq_prices()
        self._one_oversell_per_sale_and_product_that_went_below_zero()

    def _stock_is_opening_plus_every_sale_once(self) -> None:
        moved = sale_deltas([e for lane in self.lanes for e in journal(lane.till)])
        expected = {key: level + moved.get(key, 0) for key, level in self.opening.items()}
        assert on_hand(self.db) == expected
        movements = query(self.db, "SELECT event_id, count(*) FROM stock_movements WHERE id > %s "
                                   "GROUP BY event_id, product_id HAVING count(*) > 1",
                          (self.first_movement,))
        assert movements == []

    def _tills_show_hq_prices(self) -> None:
        prices = hq_prices(self.db)
        for lane in self.lanes:
            for product in self.products:
                assert lane.till.catalog.lookup(product.barcode).price.minor == prices[product.sku]

    def _one_oversell_per_sale_and_product_that_went_below_zero(self) -> None:
        rows = query(self.db, "SELECT product_id, store_id, delta, event_id FROM stock_movements "
                              "WHERE id > %s ORDER BY id", (self.first_movement,))
        per_key: dict[tuple[str, str], list[tuple[int, str]]] = {}
        for product, store, delta, event in rows:
            per_key.setdefault((str(product), str(store)), []).append((delta, str(event)))
        expected = []
        for key, moves in per_key.items():
            for i in oversold_movements(self.opening[key], [d for d, _ in moves]):
                expected.append((moves[i][1], key[0]))
        devices = tuple(lane.device for lane in self.lanes)
        raised = [(str(e), str(p)) for e, p in query(
            self.db, "SELECT event_id, product_id FROM exceptions WHERE kind = 'oversell' "
                     "AND device_id = ANY(%s::uuid[])", (list(devices),))]
        assert sorted(raised) == sorted(expected)
        assert len(set(raised)) == len(raised)

