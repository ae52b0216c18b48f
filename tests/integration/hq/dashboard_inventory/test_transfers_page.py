"""The transfers page: request by SKU or barcode, approve, ship, receive short, see the variance;
refusals in the domain's words with nothing lost; each store sees only its transfers."""

from __future__ import annotations

import re

from tests.integration.hq.helpers import exceptions, on_hand


def _request(client, lines: str, from_store: str = "S002", to_store: str = "S001"):  # noqa: ANN001, ANN202
    return client.post("/transfers", data={"from_store": from_store, "to_store": to_store,
                                           "lines": lines, "note": "for the weekend"})


def _transfer_path(reply) -> str:  # noqa: ANN001
    assert reply.status_code == 303, reply.text
    return reply.headers["location"].split("?")[0]


def test_a_transfer_goes_from_request_to_a_short_receipt_with_its_variance(hq_server, web):
    brush, shampoo = hq_server.seed.product("BRU-PAD-L"), hq_server.seed.product("SHA-ARG-250")
    s001, s002 = hq_server.seed.store("S001"), hq_server.seed.store("S002")
    admin = web("admin")

    path = _transfer_path(_request(admin, f"BRU-PAD-L 5\n{shampoo.barcode}\n{shampoo.barcode}"))
    page = admin.get(path + "?done=requested").text
    assert "Transfer requested." in page and "T-000001" in page
    assert re.search(r'data-sku="SHA-ARG-250">.*?<td class="num">2</td>', page, re.S)
    assert admin.post(path + "/approve").status_code == 303
    assert admin.post(path + "/ship").status_code == 303
    assert on_hand(hq_server.database_url, brush.id, s002.id) == 15

    received = admin.post(path + "/receive", data={f"received-{brush.id}": "4",
                                                    f"received-{shampoo.id}": "2"})
    assert received.status_code == 303
    page = admin.get(path).text
    assert 'id="transfer-status">received<' in page
    assert "BRU-PAD-L: shipped 5, received 4 (-1)" in page
    assert on_hand(hq_server.database_url, brush.id, s001.id) == 24
    assert [k for k, *_ in exceptions(hq_server.database_url, "transfer_variance")] == ["transfer_variance"]
    listing = admin.get("/transfers", params={"status": "received"}).text
    assert 'data-transfer="T-000001"' in listing and '<td class="num short">6</td>' in listing


def test_a_refused_request_says_why_and_keeps_what_was_typed(hq_server, web):
    admin = web("admin")

    reply = _request(admin, "BRU-PAD-L 5\nNO-SUCH-SKU 2")
    assert reply.status_code == 404
    assert "no product &#39;NO-SUCH-SKU&#39;" in reply.text
    assert "BRU-PAD-L 5\nNO-SUCH-SKU 2</textarea>" in reply.text
    bad = _request(admin, "BRU-PAD-L five")
    assert bad.status_code == 422 and "line 1" in bad.text
    assert "T-000001" not in admin.get("/transfers").text


def test_shipping_more_than_is_on_hand_is_refused_on_the_page(hq_server, web):
    admin = web("admin")
    path = _transfer_path(_request(admin, "BRU-PAD-L 50"))
    admin.post(path + "/approve")

    reply = admin.post(path + "/ship")
    assert reply.status_code == 409
    assert "S002 has 20 of BRU-PAD-L on hand, the transfer ships 50" in reply.text
    assert 'id="transfer-status">approved<' in reply.text


def test_each_store_acts_only_on_its_own_end_and_sees_only_its_transfers(hq_server, web):
    manager = web("manager")  # S001
    path = _transfer_path(_request(manager, "BRU-PAD-L 2"))  # S002 -> S001: S001 may request
    page = manager.get(path).text
    assert ">Approve<" not in page and "Waiting for S002 to approve" in page
    assert manager.post(path + "/approve").status_code == 403

    other = web("manager2")  # S002
    assert ">Approve<" in other.get(path).text
    assert other.post(path + "/approve").status_code == 303

    from hq_server.catalog.service import create_store
    from tests.integration.hq.helpers import in_transaction
    in_transaction(hq_server.database_url, lambda s: create_store(s, code="S003", name="Third", currency="EUR"))
    far = _transfer_path(_request(web("admin"), "BRU-PAD-L 1", "S002", "S003"))
    assert "T-000002" not in manager.get("/transfers").text
    assert manager.get(far).status_code == 404


def test_a_viewer_reads_transfers_but_is_offered_no_actions(hq_server, web):
    path = _transfer_path(_request(web("admin"), "BRU-PAD-L 2"))
    viewer = web("viewer")

    assert "Request a transfer" not in viewer.get("/transfers").text
    page = viewer.get(path).text
    assert "T-000001" in page and ">Approve<" not in page and ">Cancel transfer<" not in page
    refused = viewer.post(path + "/cancel")
    assert refused.status_code == 403
    assert "your role (viewer) may not cancel this transfer; needs admin, store_manager, inventory or buyer" \
        in refused.text


def test_a_buyer_balances_stock_between_any_stores(hq_server, web):
    buyer = web("buyer")
    assert "Request a transfer" in buyer.get("/transfers").text
    path = _transfer_path(_request(buyer, "BRU-PAD-L 2"))

    page = buyer.get(path).text
    assert ">Approve<" in page and ">Cancel transfer<" in page
    assert buyer.post(path + "/cancel").status_code == 303
    assert 'cancelled' in buyer.get(path).text
