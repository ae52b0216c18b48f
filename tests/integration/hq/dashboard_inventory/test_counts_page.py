"""The counts page: start a sheet (a category, every category, or chosen SKUs), enter, post,
see expected vs counted and the variance; refusals keep what was entered."""

from __future__ import annotations

import re

from tests.integration.hq.helpers import exceptions, on_hand


def _start(client, **fields: str) -> str:  # noqa: ANN001
    reply = client.post("/counts", data={"store": "S001", "category": "", "skus": "", **fields})
    assert reply.status_code == 303, reply.text
    return reply.headers["location"]


def test_a_count_of_chosen_products_posts_and_shows_its_variance(hq_server, web):
    brush, shampoo = hq_server.seed.product("BRU-PAD-L"), hq_server.seed.product("SHA-ARG-250")
    s001 = hq_server.seed.store("S001")
    manager = web("manager")

    path = _start(manager, skus=f"BRU-PAD-L\n{shampoo.barcode}")
    sheet = manager.get(path).text
    assert re.findall(r'<tr data-sku="([^"]+)"', sheet) == ["BRU-PAD-L", "SHA-ARG-250"]
    assert f'data-codes="SHA-ARG-250 {shampoo.barcode}"' in sheet

    saved = manager.post(path + "/lines", data={f"counted-{brush.id}": "18", f"counted-{shampoo.id}": ""})
    assert saved.status_code == 303
    refused = manager.post(path + "/post", data={f"counted-{brush.id}": "18"})
    assert refused.status_code == 422 and "no quantity for SHA-ARG-250" in refused.text
    assert f'name="counted-{brush.id}" type="number" min="0" step="1" inputmode="numeric"\n                   value="18"' in refused.text

    posted = manager.post(path + "/post", data={f"counted-{shampoo.id}": "20"})
    assert posted.status_code == 303
    page = manager.get(path).text
    assert 'id="count-status">posted<' in page and 'id="total-variance" class="off">-2<' in page
    assert re.search(r'data-sku="BRU-PAD-L".*?variance off">-2<', page, re.S)
    assert "Count variance" in page
    assert on_hand(hq_server.database_url, brush.id, s001.id) == 18
    assert len(exceptions(hq_server.database_url, "count_variance")) == 1
    assert 'data-count="C-000001"' in manager.get("/counts").text


def test_a_whole_category_count_lists_every_active_product_of_it(hq_server, web):
    admin = web("admin")
    sheet = admin.get(_start(admin, category="Test")).text

    assert len(re.findall(r"<tr data-sku=", sheet)) == len(hq_server.seed.products)
    assert 'id="scan"' in sheet and "/static/count.js" in sheet


def test_a_store_manager_counts_only_their_store(hq_server, web):
    manager = web("manager")
    page = manager.get("/counts").text
    assert re.findall(r'<option value="(S\d+)"', page) == ["S001"]

    reply = manager.post("/counts", data={"store": "S002", "category": "Test", "skus": ""})
    assert reply.status_code == 403 and "not one of your stores" in reply.text
    other = _start(web("admin"), store="S002", category="Test")
    assert manager.get(other).status_code == 404
    assert "C-000001" not in manager.get("/counts").text


def test_a_viewer_reads_a_count_without_inputs(hq_server, web):
    path = _start(web("admin"), skus="BRU-PAD-L")
    viewer = web("viewer")
    page = viewer.get(path).text

    assert "C-000001" in page and 'id="scan"' not in page and "Post count" not in page
    refused = viewer.post("/counts", data={"store": "S002", "category": "Test", "skus": ""})
    assert refused.status_code == 403
    assert "your role (viewer) may not start a count; needs admin, store_manager, inventory or buyer" \
        in refused.text


def test_a_buyer_counts_at_any_store(hq_server, web):
    brush = hq_server.seed.product("BRU-PAD-L")
    buyer = web("buyer")
    page = buyer.get("/counts").text
    assert re.findall(r'<option value="(S\d+)"', page) == ["S001", "S002"]

    path = _start(buyer, store="S002", skus="BRU-PAD-L")
    assert 'id="scan"' in buyer.get(path).text
    assert buyer.post(path + "/post", data={f"counted-{brush.id}": "7"}).status_code == 303
    assert on_hand(hq_server.database_url, brush.id, hq_server.seed.store("S002").id) == 7
