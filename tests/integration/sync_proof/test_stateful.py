"""Property: whatever the network does, HQ ends up with every fact exactly once, and its stock
is what the merge rules make of all the facts, whatever order they arrived in.

Three real tills (SQLite ledger files, two in S001 and one in S002), each enrolled at one real
HQ (uvicorn on 127.0.0.1 over PostgreSQL) through its own FaultyProxy. Hypothesis interleaves
sales (often more than is on hand), HQ price changes, stock counts posted at HQ (rule 3: a sale
made offline before the count and delivered after it must not move the stock), transfers
shipped and received between the stores, sometimes short (rule 7), partitions, lost answers,
duplicated, overlapping and out-of-order deliveries, crashes between commit and ack, and
reconnects. When everyone has reconnected and synced, the invariants of ARCHITECTURE.md's sync
contract hold: on-hand per product and store equals shared.merge's rule 3 over every fact (last
count + the movements stamped after it), stock in transit equals rule 7 over every transfer, each
count's variance is rule 3's, and each exception is raised exactly once.

Rule 8 rides along: each example has one customer, known at every till, whose details the tills
edit (last writer by hlc wins) and who buys with points, spending up to the balance the till
shows; two tills spending it offline drive HQ's balance below zero. After everyone synced, HQ
and every till show the newest details and the sum of every posting, and each posting that left
the balance below zero raised exactly one negative_loyalty exception, however often re-sent.

Budget: derandomized (the same examples every run), 10 examples of 3-15 opening sales then up to
30 steps; about 30-45 s on a 2-core machine, most of it enrolling three tills per example.
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
    precondition,
    rule,
    run_state_machine_as_test,
)

from hq_server.catalog.service import set_price
from hq_server.db.session import make_engine, make_session_factory, transaction
from hq_server.devices.service import create_enrolment_code
from shared.merge import (
    Movement,
    in_transit,
    on_hand_after_count,
    on_hand_after_each,
    transfer_variance,
)
from till.bootstrap import Till
from till.customers import CustomerService

from .customers import assert_rule_8_holds, customer_sale
from .helpers import (
    assert_holds_exactly,
    device_id,
    enrolled_till,
    hq_chain,
    hq_prices,
    inventory,
    journal,
    ok,
    on_hand,
    push_raw,
    query,
    reopen,
    sale_movements,
    sell,
)
from .proxy import FaultyProxy

STORES = ("S001", "S001", "S002")
PRODUCTS = 3  # few products, so tills compete for the same stock and oversell often
# A sale: up to three lines of (product index, quantity); 20 on hand, so overselling is common.
SALE = st.lists(st.tuples(st.integers(0, PRODUCTS - 1), st.integers(1, 9)), min_size=1, max_size=3)
# Details a till may save for the customer (rule 8: the last save by hlc wins everywhere).
CUSTOMER_DETAILS = st.sampled_from([("Ann Lee", "0712 345 678"), ("Ann Lee-Park", "0712 345 678"),
                                    ("Ann Lee", "0798 765 432"), ("Anne Lee", "")])
SETTINGS = settings(max_examples=10, stateful_step_count=30, deadline=None, derandomize=True,
                    suppress_health_check=list(HealthCheck), print_blob=True)


@dataclass
class Count:
    """A count posted at HQ: what was counted per product id, and its hlc."""

    id: str
    store_id: str
    hlc: str
    counted: dict[str, int]


@dataclass
class Shipment:
    """A transfer HQ shipped (and perhaps received): quantities per product id."""

    id: str
    reference: str
    source: str  # store ids
    destination: str
    shipped: dict[str, int]
    received: dict[str, int] | None = None


@dataclass
class Lane:
    """One till and the line it talks to HQ through."""

    till: Till
    proxy: FaultyProxy
    device: str

    @property
    def partitioned(self) -> bool:
        return self.proxy.faults.down


def test_every_fact_reaches_hq_once_and_stock_follows_the_merge_rules_whatever_the_network_does(hq_server, tmp_path):
    engine = make_engine(hq_server.database_url, pool_size=2)
    factory = make_session_factory(engine)
    port = int(hq_server.url.rsplit(":", 1)[1])
    products = hq_server.seed.products[:PRODUCTS]
    try:
        run_state_machine_as_test(
            lambda: SyncWorld(hq_server, factory, port, products, tmp_path), settings=SETTINGS)
    finally:
        engine.dispose()
    # The examples reach rule 8's hard cases: edits of one customer from several tills, and a
    # balance spent twice offline (each example's invariants checked them).
    assert query(hq_server.database_url, "SELECT count(*) FROM exceptions "
                                         "WHERE kind = 'negative_loyalty'")[0][0] > 0
    assert query(hq_server.database_url, "SELECT max(n) FROM (SELECT count(DISTINCT device_id) n "
                                         "FROM events WHERE type = 'CustomerSaved' "
                                         "GROUP BY payload->>'customer_id') t")[0][0] > 1


class SyncWorld(RuleBasedStateMachine):
    def __init__(self, hq, factory, port, products, tmp_path) -> None:  # noqa: ANN001
        super().__init__()
        self.hq, self.db, self.factory, self.products = hq, hq.database_url, factory, products
        self.port, self.root = port, tmp_path / uuid.uuid4().hex[:8]
        self.lanes: list[Lane] = []
        self.opening = on_hand(self.db)
        self.first_movement = query(self.db, "SELECT coalesce(max(id), 0) FROM stock_movements")[0][0]
        self.stores = {s.code: str(s.id) for s in hq.seed.stores}
        self.counts: list[Count] = []
        self.shipments: list[Shipment] = []
        self.transit_opening = self._hq_in_transit()
        self.customer = ""

    @initialize(opening_sales=st.lists(SALE, min_size=len(STORES), max_size=3 * len(STORES)))
    def enrol_tills_and_sell_before_the_first_sync(self, opening_sales: list) -> None:
        for i, store in enumerate(STORES):
            with transaction(self.factory) as session:
                code = create_enrolment_code(session, store)
            proxy = FaultyProxy(self.port)
            till = enrolled_till(self.root / f"till-{i}", proxy.url, code)
            self.lanes.append(Lane(till, proxy, device_id(till)))
        self.a_customer_joins_and_earns_points_at_the_first_till()
        for i, lines in enumerate(opening_sales):
            self.a_till_sells(i % len(STORES), lines)

    def a_customer_joins_and_earns_points_at_the_first_till(self) -> None:
        """Made at till 0 with a big first sale (a few hundred points), then known with its
        balance at every till (synced): two tills spending that balance offline overdraw it."""
        first = self.lanes[0].till
        self.customer = CustomerService(first.ledger).create("Ann Lee", "0712 345 678",
                                                             saved_by="Ana").customer_id
        customer_sale(first, self.customer, [(p.barcode, 9) for p in self.products], points=0)
        for lane in self.lanes:
            assert lane.till.agent.sync_once()["online"]

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

    @rule(lane=lane_no, details=CUSTOMER_DETAILS)
    def a_till_edits_the_customer(self, lane: int, details: tuple[str, str]) -> None:
        CustomerService(self.lanes[lane].till.ledger).edit(self.customer, *details, saved_by="Ana")

    @rule(lane=lane_no, lines=SALE, points=st.integers(0, 3000))
    def the_customer_buys_paying_with_points(self, lane: int, lines: list[tuple[int, int]],
                                             points: int) -> None:
        customer_sale(self.lanes[lane].till, self.customer,
                      [(self.products[p].barcode, q) for p, q in lines], points)

    @rule(product=st.integers(0, PRODUCTS - 1), price=st.integers(50, 5000))
    def hq_changes_a_price(self, product: int, price: int) -> None:
        with transaction(self.factory) as session:
            set_price(session, self.products[product].sku, price)

    store_code = st.sampled_from(sorted(set(STORES)))

    @rule(store=store_code, product=st.integers(0, PRODUCTS - 1), counted=st.integers(0, 30))
    def hq_posts_a_count(self, store: str, product: int, counted: int) -> None:
        """A count of the whole category at `store`: `product` counted as `counted`, the others
        as the sheet expected them (never below zero)."""
        sheet = ok(inventory(self.hq, "POST", "/counts", {"store": store, "category": "Test"}))
        chosen = self.products[product].sku
        lines = {line["product_id"]: (line["sku"], counted if line["sku"] == chosen
                                      else max(0, line["expected"])) for line in sheet["lines"]}
        ok(inventory(self.hq, "PUT", f"/counts/{sheet['id']}/lines", {
            "lines": [{"product": sku, "quantity": q} for sku, q in lines.values()]}))
        posted = ok(inventory(self.hq, "POST", f"/counts/{sheet['id']}/post"))
        self.counts.append(Count(sheet["id"], self.stores[store], posted["hlc"],
                                 {p: q for p, (_, q) in lines.items()}))

    @rule(source=store_code, product=st.integers(0, PRODUCTS - 1), quantity=st.integers(1, 8),
          arrives_short=st.none() | st.integers(0, 2))
    def hq_ships_a_transfer(self, source: str, product: int, quantity: int,
                            arrives_short: int | None) -> None:
        """Ships up to `quantity` of what HQ shows on hand at the source; with nothing there,
        shipping is refused in words (409) and the transfer is cancelled. Unless
        `arrives_short` is None (it stays on the road), it is received at once, that many short."""
        destination = next(code for code in self.stores if code != source)
        chosen = self.products[product]
        held = on_hand(self.db).get((str(chosen.id), self.stores[source]), 0)
        made = ok(inventory(self.hq, "POST", "/transfers", {
            "from_store": source, "to_store": destination,
            "lines": [{"product": chosen.sku, "quantity": max(1, min(quantity, held))}]}))
        ok(inventory(self.hq, "POST", f"/transfers/{made['id']}/approve"))
        shipped = inventory(self.hq, "POST", f"/transfers/{made['id']}/ship")
        if held < 1:
            assert shipped.status_code == 409 and "cannot ship" in shipped.json()["detail"], shipped.text
            ok(inventory(self.hq, "POST", f"/transfers/{made['id']}/cancel"))
            return
        assert ok(shipped)["status"] == "shipped"
        self.shipments.append(Shipment(made["id"], made["reference"], self.stores[source],
                                       self.stores[destination],
                                       {str(chosen.id): max(1, min(quantity, held))}))
        if arrives_short is not None:
            self.hq_receives_a_transfer(len(self._on_the_road()) - 1, arrives_short)

    def _on_the_road(self) -> list[Shipment]:
        return [s for s in self.shipments if s.received is None]

    @precondition(lambda self: self._on_the_road())
    @rule(which=st.integers(0, 20), short=st.integers(0, 3))
    def hq_receives_a_transfer(self, which: int, short: int) -> None:
        """The oldest-but-`which` shipment still on the road arrives, `short` units short."""
        on_the_road = self._on_the_road()
        shipment = on_the_road[which % len(on_the_road)]
        received = {p: max(0, q - short) for p, q in shipment.shipped.items()}
        skus = {str(p.id): p.sku for p in self.products}
        body = {"lines": [{"product": skus[p], "quantity": q} for p, q in received.items()]}
        assert ok(inventory(self.hq, "POST", f"/transfers/{shipment.id}/receive", body))["status"] == "received"
        shipment.received = received

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
        self._no_fact_moved_stock_twice()
        self._on_hand_is_the_last_count_plus_every_movement_stamped_after_it()
        self._stock_in_transit_is_every_shipment_not_yet_received()
        self._each_count_variance_is_rule_3_over_every_fact()
        self._one_transfer_variance_per_shipment_received_short()
        self._tills_show_hq_prices()
        self._one_oversell_per_sale_and_product_that_went_below_zero()
        assert_rule_8_holds(self.db, [lane.till for lane in self.lanes],
                            [journal(lane.till) for lane in self.lanes], self.customer)

    # --- the facts, as the merge rules see them --------------------------------------------------

    def _movements(self) -> dict[tuple[str, str], list[Movement]]:
        """Every movement but counts, per (product, store): the tills' sales (from their own
        journals) and HQ's shipments and receipts (stamped with HQ's hlc when they happened)."""
        moves: dict[tuple[str, str], list[Movement]] = {}
        for key, deltas in sale_movements([e for lane in self.lanes for e in journal(lane.till)]).items():
            moves.setdefault(key, []).extend(Movement(d, hlc) for d, hlc in deltas)
        stamps = dict(query(self.db, "SELECT reference || reason, hlc FROM stock_movements "
                                     "WHERE id > %s AND reason IN ('transfer_out', 'transfer_in')",
                            (self.first_movement,)))
        for s in self.shipments:
            for product, quantity in s.shipped.items():
                moves.setdefault((product, s.source), []).append(
                    Movement(-quantity, stamps[s.reference + "transfer_out"]))
            for product, quantity in (s.received or {}).items():
                if quantity:
                    moves.setdefault((product, s.destination), []).append(
                        Movement(quantity, stamps[s.reference + "transfer_in"]))
        return moves

    def _counts_of(self, key: tuple[str, str]) -> list[Count]:
        product, store = key
        return sorted((c for c in self.counts if c.store_id == store and product in c.counted),
                      key=lambda c: c.hlc)

    # --- invariants after everyone reconnected ---------------------------------------------------

    def _no_fact_moved_stock_twice(self) -> None:
        repeated = query(self.db, "SELECT event_id, product_id, reason, count(*) FROM stock_movements "
                                  "WHERE id > %s AND event_id IS NOT NULL "
                                  "GROUP BY event_id, product_id, reason HAVING count(*) > 1",
                         (self.first_movement,))
        assert repeated == []
        per_transfer = query(self.db, "SELECT reference, reason, product_id, count(*) FROM stock_movements "
                                      "WHERE id > %s AND reason IN ('transfer_out', 'transfer_in') "
                                      "GROUP BY reference, reason, product_id HAVING count(*) > 1",
                             (self.first_movement,))
        assert per_transfer == []

    def _on_hand_is_the_last_count_plus_every_movement_stamped_after_it(self) -> None:
        moves = self._movements()
        expected = {}
        for key, opening in self.opening.items():
            counts = self._counts_of(key)
            if counts:  # rule 3
                last = counts[-1]
                expected[key] = on_hand_after_count(last.counted[key[0]], last.hlc, moves.get(key, [])).on_hand
            else:  # rule 2
                expected[key] = opening + sum(m.delta for m in moves.get(key, []))
        assert on_hand(self.db) == expected

    def _hq_in_transit(self) -> dict[tuple[str, str], int]:
        found = {}
        for store in self.stores.values():
            for line in ok(inventory(self.hq, "GET", f"/in-transit?store={store}"))["products"]:
                found[(line["product_id"], store)] = line["quantity"]
        return found

    def _stock_in_transit_is_every_shipment_not_yet_received(self) -> None:
        expected = dict(self.transit_opening)
        for s in self.shipments:  # rule 7
            for product, quantity in in_transit(s.shipped, s.received).items():
                expected[(product, s.destination)] = expected.get((product, s.destination), 0) + quantity
        assert self._hq_in_transit() == {k: q for k, q in expected.items() if q}

    def _each_count_variance_is_rule_3_over_every_fact(self) -> None:
        """The counter saw the book as it stood at the count's moment: the opening plus every
        movement stamped before it, including sales that reached HQ only afterwards. (A product
        counted twice in an example is left out: a sale absorbed late is credited to the last
        count, which is rule 3's bookkeeping, not a different answer.)"""
        moves = self._movements()
        for count in self.counts:
            report = ok(inventory(self.hq, "GET", f"/counts/{count.id}"))
            for line in report["lines"]:
                key = (line["product_id"], count.store_id)
                if len(self._counts_of(key)) != 1:
                    continue
                outcome = on_hand_after_count(count.counted[key[0]], count.hlc, moves.get(key, []),
                                              opening=self.opening[key])
                assert line["variance"] == outcome.variance, (line, outcome)

    def _one_transfer_variance_per_shipment_received_short(self) -> None:
        raised = {}
        for key, details in query(self.db, "SELECT dedupe_key, details FROM exceptions "
                                           "WHERE kind = 'transfer_variance'"):
            raised.setdefault(key, []).append(details)
        for s in self.shipments:
            key = f"transfer_variance:{s.id}"
            differences = transfer_variance(s.shipped, s.received) if s.received is not None else {}
            if not differences:
                assert key not in raised
                continue
            (details,) = raised[key]  # exactly one
            assert sorted(line["difference"] for line in details["lines"]) == sorted(differences.values())

    def _tills_show_hq_prices(self) -> None:
        prices = hq_prices(self.db)
        for lane in self.lanes:
            for product in self.products:
                assert lane.till.catalog.lookup(product.barcode).price.minor == prices[product.sku]

    def _one_oversell_per_sale_and_product_that_went_below_zero(self) -> None:
        """Rule 4 replayed over HQ's ledger in the order it was written: a till's sale movement
        that left on-hand below zero raised one oversell; a movement absorbed by a count (rule 3)
        and its cancelling twin moved nothing; HQ's own movements (counts, transfers) raise none."""
        rows = query(self.db, "SELECT product_id, store_id, delta, event_id, reason FROM stock_movements "
                              "WHERE id > %s ORDER BY id", (self.first_movement,))
        absorbed = {(str(e), str(p)) for p, _, _, e, reason in rows if reason == "count_absorbed"}
        per_key: dict[tuple[str, str], list[tuple[int, str | None, str]]] = {}
        for product, store, delta, event, reason in rows:
            if reason == "count_absorbed" or (str(event), str(product)) in absorbed:
                continue
            per_key.setdefault((str(product), str(store)), []).append(
                (delta, None if event is None else str(event), reason))
        expected = []
        for key, moves in per_key.items():
            levels = on_hand_after_each(self.opening[key], [d for d, _, _ in moves])
            expected += [(event, key[0]) for (delta, event, reason), level in zip(moves, levels, strict=True)
                         if reason == "sale" and delta < 0 and level < 0]
        devices = tuple(lane.device for lane in self.lanes)
        raised = [(str(e), str(p)) for e, p in query(
            self.db, "SELECT event_id, product_id FROM exceptions WHERE kind = 'oversell' "
                     "AND device_id = ANY(%s::uuid[])", (list(devices),))]
        assert sorted(raised) == sorted(expected)
        assert len(set(raised)) == len(raised)
