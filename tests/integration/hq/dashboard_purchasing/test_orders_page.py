"""/purchase-orders and an order's screens against the real app and PostgreSQL: the list, editing
a draft, each step of an order's life, receiving, and every refusal shown in words."""

from __future__ import annotations

from hq_server.dashboard import orders_page
from tests.integration.hq.dashboard_purchasing.helpers import alert


def draft(hq, store: str = "S001", lines=((0, 10, 400), (1, 5, 250)), status: str = "draft"):  # noqa: ANN001, ANN201
    vendor = hq.vendor()
    return hq.order(vendor["id"], list(lines), store=store, status=status)


def test_the_list_has_status_tabs_with_counts_and_filters_by_status(hq, web):
    store = hq.new_store()
    first, second = draft(hq, store), draft(hq, store, status="sent")

    page = web["buyer"].get("/purchase-orders", params={"store": store})
    sent = web["buyer"].get("/purchase-orders", params={"store": store, "status": "sent"})

    assert page.status_code == 200
    assert first["number"] in page.text and second["number"] in page.text
    assert 'data-status="draft" aria-current' not in page.text
    assert ">Draft <b>1</b>" in page.text and ">Sent <b>1</b>" in page.text and ">All <b>2</b>" in page.text
    assert second["number"] in sent.text and f'data-order="{first["number"]}"' not in sent.text
    assert "€52.50" in page.text  # 10 x €4.00 + 5 x €2.50


def test_the_list_pages(hq, web, monkeypatch):
    store = hq.new_store()
    made = [draft(hq, store, lines=((2, 1, 100),)) for _ in range(3)]
    monkeypatch.setattr(orders_page, "PAGE_SIZE", 2)  # the server runs in this process

    first = web["buyer"].get("/purchase-orders", params={"store": store}).text
    second = web["buyer"].get("/purchase-orders", params={"store": store, "page": 2}).text

    assert "page 1 of 2" in first and "Older →" in first
    assert made[2]["number"] in first and made[1]["number"] in first and made[0]["number"] not in first
    assert f'data-order="{made[0]["number"]}"' in second and "← Newer" in second


def test_a_store_manager_sees_only_their_stores_orders(hq, web):
    mine, theirs = draft(hq, "S001"), draft(hq, "S002")

    listing = web["store_manager"].get("/purchase-orders").text
    other = web["store_manager"].get(f"/purchase-orders/{theirs['id']}")

    assert mine["number"] in listing and f'data-order="{theirs["number"]}"' not in listing
    assert other.status_code == 404 and theirs["number"] not in other.text


def test_a_draft_is_edited_then_approved_sent_and_the_steps_follow_the_status(hq, web):
    order = draft(hq)
    url = f"/purchase-orders/{order['id']}"
    buyer = web["buyer"]
    assert 'action="' + url + '/approve"' in buyer.get(url).text

    saved = buyer.post(f"{url}/lines", data={
        "product:1": order["lines"][0]["product_id"], "qty:1": "12", "cost:1": "3.95",
        "product:2": order["lines"][1]["product_id"], "qty:2": "5", "cost:2": "2.50", "remove:2": "1"})

    assert saved.status_code == 303
    after = hq.ok("buyer", "GET", url)
    assert [(li["sku"], li["quantity_ordered"], li["unit_cost_minor"]) for li in after["lines"]] == [
        ("SHA-ARG-250", 12, 395)]
    assert "Lines of " + order["number"] + " saved." in buyer.get(saved.headers["location"]).text
    assert buyer.post(f"{url}/approve").status_code == 303
    approved = buyer.get(url).text
    assert 'name="qty:1"' not in approved and f'action="{url}/send"' in approved
    assert buyer.post(f"{url}/send").status_code == 303
    assert hq.ok("buyer", "GET", url)["status"] == "sent"
    assert f'href="{url}/receive"' in buyer.get(url).text


def test_a_bad_cost_saves_nothing_and_keeps_what_was_typed(hq, web):
    order = draft(hq)
    url = f"/purchase-orders/{order['id']}"

    reply = web["buyer"].post(f"{url}/lines", data={
        "product:1": order["lines"][0]["product_id"], "sku:1": "SHA-ARG-250", "qty:1": "99", "cost:1": "3.955",
        "product:2": order["lines"][1]["product_id"], "qty:2": "5", "cost:2": "2.50"})

    assert reply.status_code == 422
    assert "SHA-ARG-250" in alert(reply.text) and "nothing was saved" in alert(reply.text)
    assert 'value="99"' in reply.text and 'value="3.955"' in reply.text
    assert hq.ok("buyer", "GET", url)["lines"][0]["quantity_ordered"] == 10


def test_a_step_the_status_does_not_allow_shows_the_domains_reason(hq, web):
    order = draft(hq)

    reply = web["buyer"].post(f"/purchase-orders/{order['id']}/send")

    assert reply.status_code == 409
    assert f"cannot send {order['number']}: it is draft" in alert(reply.text)


def test_roles_without_buying_rights_see_no_steps_and_are_refused(hq, web):
    order = draft(hq)
    url = f"/purchase-orders/{order['id']}"

    for role in ("store_manager", "inventory", "owner", "viewer"):
        page = web[role].get(url).text
        assert f'action="{url}/approve"' not in page and 'name="qty:1"' not in page, role
        assert web[role].post(f"{url}/approve").status_code == 403, role
        assert web[role].post(f"{url}/lines", data={"qty:1": "1"}).status_code == 403, role
    assert hq.ok("buyer", "GET", url)["status"] == "draft"


def test_cancelling_asks_first_and_then_the_order_is_cancelled(hq, web):
    order = draft(hq, status="approved")
    url = f"/purchase-orders/{order['id']}"
    assert f'data-confirm="Cancel {order["number"]}?' in web["admin"].get(url).text

    assert web["admin"].post(f"{url}/cancel").status_code == 303

    assert hq.ok("admin", "GET", url)["status"] == "cancelled"
    assert "Receive goods" not in web["admin"].get(url).text


def test_receiving_posts_a_receipt_and_shows_the_variance(hq, web):
    store = hq.new_store()
    order = draft(hq, store, status="sent")
    url = f"/purchase-orders/{order['id']}"
    screen = web["buyer"].get(f"{url}/receive")
    assert screen.status_code == 200 and 'id="scan"' in screen.text
    assert hq.seed.products[0].barcode in screen.text  # scans are matched against it

    reply = web["buyer"].post(f"{url}/receipts", data={"recv:1": "8", "recv:2": "0"})

    assert reply.status_code == 303
    page = web["buyer"].get(reply.headers["location"]).text
    assert "8 units added to stock" in page and "Partially received" in page
    assert '<span class="variance short">short 2</span>' in page  # line 1: 8 of 10
    assert '<span class="variance short">short 7</span>' in page  # total: 8 of 15
    stock = hq.ok("buyer", "GET", f"/purchase-orders/{order['id']}")
    assert [li["quantity_received"] for li in stock["lines"]] == [8, 0]


def test_over_receiving_without_the_role_is_refused_in_words_and_nothing_is_lost(hq, web):
    order = draft(hq, status="sent")
    url = f"/purchase-orders/{order['id']}"

    reply = web["inventory"].post(f"{url}/receipts", data={"recv:1": "11", "recv:2": "3"})

    assert reply.status_code == 403
    message = alert(reply.text)
    assert "receiving more than ordered needs a store manager or admin" in message
    assert 'value="11"' in reply.text and 'value="3"' in reply.text
    assert '<span class="variance over">over 1</span>' in reply.text
    assert [li["quantity_received"] for li in hq.ok("buyer", "GET", url)["lines"]] == [0, 0]
    assert web["store_manager"].post(f"{url}/receipts", data={"recv:1": "11"}).status_code == 303


def test_receiving_nothing_or_before_the_order_is_sent_is_explained(hq, web):
    sent, drafted = draft(hq, status="sent"), draft(hq)

    empty = web["buyer"].post(f"/purchase-orders/{sent['id']}/receipts", data={"recv:1": "0"})
    early = web["buyer"].get(f"/purchase-orders/{drafted['id']}/receive")
    viewer = web["viewer"].get(f"/purchase-orders/{sent['id']}/receive")

    assert empty.status_code == 422 and "enter or scan what arrived" in alert(empty.text)
    assert "goods are received once the order is sent" in alert(early.text) and 'id="scan"' not in early.text
    assert viewer.status_code == 403
    assert [li["quantity_received"] for li in hq.ok("buyer", "GET", f"/purchase-orders/{sent['id']}")["lines"]] == [0, 0]


def test_a_batch_tracked_line_is_received_with_its_batch_and_expiry_date(hq, web):
    store = hq.new_store()
    order = draft(hq, store, lines=((2, 6, 300),), status="sent")
    product = hq.seed.products[2]
    assert hq.ok("buyer", "PUT", f"/batches/tracking/{product.sku}", {"tracked": True})["tracked"]
    url = f"/purchase-orders/{order['id']}"
    screen = web["buyer"].get(f"{url}/receive").text
    assert 'name="batch:1"' in screen and 'name="expires:1"' in screen

    missing = web["buyer"].post(f"{url}/receipts", data={"recv:1": "6"})
    assert missing.status_code == 422 and "batch" in missing.text.lower()
    bad_date = web["buyer"].post(f"{url}/receipts", data={"recv:1": "6", "batch:1": "L7",
                                                           "expires:1": "31/12/2030"})
    assert bad_date.status_code == 422 and "is not a date" in bad_date.text
    assert 'value="L7"' in bad_date.text  # what was typed is kept

    reply = web["buyer"].post(f"{url}/receipts", data={"recv:1": "6", "batch:1": "L7",
                                                       "expires:1": "2030-12-31"})
    assert reply.status_code == 303, reply.text
    held = hq.ok("buyer", "GET", f"/batches?product={product.sku}&store={store}")
    assert [(b["batch"], b["expires_on"], b["quantity"]) for b in held["batches"]] == [("L7", "2030-12-31", 6)]
