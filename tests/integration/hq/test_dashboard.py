import httpx


def test_the_stock_page_shows_stores_as_columns_and_products_as_rows(hq_server):
    page = httpx.get(hq_server.url + "/")

    assert page.status_code == 200
    html = page.text
    assert "<title>TillHQ — Stock</title>" in html
    assert "S001" in html and "S002" in html and "Lumen Beauty — Camden" in html
    for product in hq_server.seed.products:
        assert product.sku in html
    shampoo, store = hq_server.seed.products[0], hq_server.seed.store("S001")
    assert f'id="c-{shampoo.id}-{store.id}"' in html
    assert f'data-product="{shampoo.id}" data-store="{store.id}"' in html
    assert 'id="live"' in html and "/static/dashboard.js" in html


def test_the_stock_page_searches_by_sku_name_or_barcode(hq_server):
    brush = hq_server.seed.product("BRU-PAD-L")

    for q in ("BRU-PAD", "paddle", brush.barcode):
        html = httpx.get(hq_server.url + "/", params={"q": q}).text
        assert brush.sku in html and "SHA-ARG-250" not in html


def test_low_and_out_of_stock_cells_are_highlighted(hq_server, till):
    shampoo = hq_server.seed.product("SHA-ARG-250")  # reorder point 5
    brush = hq_server.seed.product("BRU-PAD-L")
    till.sell((shampoo, 16), (brush, 20))
    till.push()

    html = httpx.get(hq_server.url + "/").text

    assert f'class="num onhand low" id="c-{shampoo.id}' in html
    assert f'class="num onhand out" id="c-{brush.id}' in html


def test_the_dashboard_script_and_styles_are_served(hq_server):
    assert "WebSocket" in httpx.get(hq_server.url + "/static/dashboard.js").text
    assert httpx.get(hq_server.url + "/static/dashboard.css").status_code == 200


def test_stores_and_stock_are_listed_as_json(hq_server, till):
    stores = httpx.get(hq_server.url + "/api/v1/stores").json()
    assert [s["code"] for s in stores] == ["S001", "S002"]

    stock = httpx.get(hq_server.url + "/api/v1/stock", params={"store": "S001", "sku": "NAI-RED-10"}).json()
    assert [(s["sku"], s["store_code"], s["on_hand"]) for s in stock] == [("NAI-RED-10", "S001", 20)]
    assert len(httpx.get(hq_server.url + "/api/v1/stock", params={"store": "S002"}).json()) == 10


def test_the_api_is_documented(hq_server):
    paths = httpx.get(hq_server.url + "/openapi.json").json()["paths"]
    assert {"/api/v1/enrol", "/api/v1/sync/push", "/api/v1/sync/pull", "/api/v1/stock"} <= set(paths)
