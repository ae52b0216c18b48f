import contextlib
import re
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest

from hq_server.auth.web import ACCESS_COOKIE, REFRESH_COOKIE

ADMIN = ("admin@example.com", "tillhq-admin")
MANAGER = ("manager.s001@example.com", "tillhq-manager")
BUYER = ("buyer@example.com", "tillhq-buyer")


@contextlib.contextmanager
def signed_in(hq_server, email: str, password: str) -> Iterator[httpx.Client]:
    """A browser-like client holding the dashboard's session cookies."""
    with httpx.Client(base_url=hq_server.url) as client:
        reply = client.post("/login", data={"email": email, "password": password})
        assert reply.status_code == 303, reply.text
        yield client


@pytest.fixture
def admin(hq_server):
    with signed_in(hq_server, *ADMIN) as client:
        yield client


def test_the_stock_page_shows_stores_as_columns_and_products_as_rows(hq_server, admin):
    page = admin.get("/")

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


def test_the_stock_page_searches_by_sku_name_or_barcode(hq_server, admin):
    brush = hq_server.seed.product("BRU-PAD-L")

    for q in ("BRU-PAD", "paddle", brush.barcode):
        html = admin.get("/", params={"q": q}).text
        assert brush.sku in html and "SHA-ARG-250" not in html


def test_low_and_out_of_stock_cells_are_highlighted(hq_server, admin, till):
    shampoo = hq_server.seed.product("SHA-ARG-250")  # reorder point 5
    brush = hq_server.seed.product("BRU-PAD-L")
    till.sell((shampoo, 16), (brush, 20))
    till.push()

    html = admin.get("/").text

    assert f'class="num onhand low" id="c-{shampoo.id}' in html
    assert f'class="num onhand out" id="c-{brush.id}' in html


def test_the_dashboard_script_and_styles_are_served(hq_server):
    assert "WebSocket" in httpx.get(hq_server.url + "/static/dashboard.js").text
    assert httpx.get(hq_server.url + "/static/dashboard.css").status_code == 200


def test_stores_and_stock_are_listed_as_json_to_signed_in_users(hq_server, till):
    admin = hq_server.admin_headers
    stores = httpx.get(hq_server.url + "/api/v1/stores", headers=admin).json()
    assert [s["code"] for s in stores] == ["S001", "S002"]

    stock = httpx.get(hq_server.url + "/api/v1/stock", params={"store": "S001", "sku": "NAI-RED-10"},
                      headers=admin).json()
    assert [(s["sku"], s["store_code"], s["on_hand"]) for s in stock] == [("NAI-RED-10", "S001", 20)]
    assert len(httpx.get(hq_server.url + "/api/v1/stock", params={"store": "S002"},
                         headers=admin).json()) == 10


def test_stock_and_stores_need_sign_in_and_keep_a_store_manager_to_their_store(hq_server, hq_login):
    for path in ("/api/v1/stores", "/api/v1/stock"):
        assert httpx.get(hq_server.url + path).status_code == 401
    assert httpx.get(hq_server.url + "/api/v1/health").json() == {"status": "ok"}
    manager = hq_login("store_manager", "S001")
    assert [s["code"] for s in httpx.get(hq_server.url + "/api/v1/stores", headers=manager).json()] == ["S001"]
    rows = httpx.get(hq_server.url + "/api/v1/stock", headers=manager).json()
    assert rows and {r["store_code"] for r in rows} == {"S001"}
    assert httpx.get(hq_server.url + "/api/v1/stock", params={"store": "S002"}, headers=manager).json() == []


def test_the_api_is_documented(hq_server):
    paths = httpx.get(hq_server.url + "/openapi.json").json()["paths"]
    assert {"/api/v1/enrol", "/api/v1/sync/push", "/api/v1/sync/pull", "/api/v1/stock"} <= set(paths)


# --- signing in -------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/exceptions?status=all", "/devices"])
def test_every_page_sends_a_visitor_who_is_not_signed_in_to_the_login_page(hq_server, path):
    reply = httpx.get(hq_server.url + path)

    assert reply.status_code == 303
    assert reply.headers["location"] == "/login?next=" + quote(path, safe="")


def test_signing_in_sets_httponly_strict_cookies_and_returns_to_the_page_asked_for(hq_server):
    reply = httpx.post(hq_server.url + "/login", data={
        "email": ADMIN[0], "password": ADMIN[1], "next": "/devices"})

    assert reply.status_code == 303 and reply.headers["location"] == "/devices"
    cookies = {c.split("=", 1)[0]: c for c in reply.headers.get_list("set-cookie")}
    for name in (ACCESS_COOKIE, REFRESH_COOKIE):
        assert "HttpOnly" in cookies[name] and "SameSite=strict" in cookies[name]


def test_the_login_page_never_sends_you_to_another_site(hq_server):
    reply = httpx.post(hq_server.url + "/login", data={
        "email": ADMIN[0], "password": ADMIN[1], "next": "//evil.example/x"})

    assert reply.headers["location"] == "/"


def test_a_wrong_password_shows_a_clear_error(hq_server):
    reply = httpx.post(hq_server.url + "/login", data={"email": ADMIN[0], "password": "nope"})

    assert reply.status_code == 401
    assert "That email and password do not match an active HQ user." in reply.text
    assert "set-cookie" not in reply.headers


def test_too_many_failed_sign_ins_say_when_to_try_again(hq_server):
    for _ in range(5):
        httpx.post(hq_server.url + "/login", data={"email": BUYER[0], "password": "nope"})

    reply = httpx.post(hq_server.url + "/login", data={"email": BUYER[0], "password": BUYER[1]})

    assert reply.status_code == 429 and int(reply.headers["retry-after"]) > 0
    assert "Too many failed sign-ins. Try again in about 15 minutes." in reply.text


def test_an_expired_access_token_is_refreshed_transparently(hq_server, admin):
    admin.cookies.set(ACCESS_COOKIE, "expired-or-garbage", domain="127.0.0.1")
    old_refresh = admin.cookies[REFRESH_COOKIE]

    reply = admin.get("/")

    assert reply.status_code == 200 and "SHA-ARG-250" in reply.text
    assert admin.cookies[REFRESH_COOKIE] != old_refresh


def test_signing_out_ends_the_session_even_for_a_copied_cookie(hq_server, admin):
    copied = dict(admin.cookies)

    assert admin.post("/logout").headers["location"] == "/login"

    reply = httpx.get(hq_server.url + "/", cookies=copied)
    assert reply.status_code == 303 and reply.headers["location"].startswith("/login")


# --- what each role sees ----------------------------------------------------------------------

def test_a_store_manager_sees_only_their_stores_column(hq_server):
    with signed_in(hq_server, *MANAGER) as manager:
        html = manager.get("/").text

    s001, s002 = hq_server.seed.store("S001"), hq_server.seed.store("S002")
    assert f'data-store="{s001.id}"' in html and f"units-{s001.id}" in html
    assert f'data-store="{s002.id}"' not in html and "S002" not in html


def test_the_nav_offers_only_the_pages_a_role_may_open(hq_server):
    with signed_in(hq_server, *BUYER) as buyer:
        html = buyer.get("/").text
        assert 'href="/exceptions"' not in html and 'href="/devices"' not in html
        assert "buyer@example.com" in html and "Sign out" in html
        assert buyer.get("/exceptions").status_code == 403
        assert buyer.get("/devices").status_code == 403


# --- exceptions -------------------------------------------------------------------------------

def oversell(hq_server, till):
    brush = hq_server.seed.product("BRU-PAD-L")
    till.sell((brush, hq_server.seed.opening_stock + 1))
    assert till.push().status_code == 200
    return brush


def test_the_exceptions_page_says_what_happened_in_words(hq_server, admin, till):
    brush = oversell(hq_server, till)
    receipt = till.journal[-1].payload["receipt_no"]

    html = admin.get("/exceptions").text

    assert f"Oversold: {brush.name} at S001 — on hand -1 after receipt {receipt}" in html
    assert re.search(r'data-store-count="S001">S001 <b>1</b>', html)
    assert "Resolve…" in html


def test_resolving_from_the_page_takes_the_exception_off_the_open_list(hq_server, admin, till):
    oversell(hq_server, till)
    exception_id = re.search(r'id="x-([0-9a-f-]+)"', admin.get("/exceptions").text).group(1)

    reply = admin.post(f"/exceptions/{exception_id}/resolve", data={
        "resolution": "stock corrected", "note": "counted 0 on the shelf", "back": "/exceptions"})

    assert reply.status_code == 303 and reply.headers["location"] == "/exceptions?done=resolved"
    assert f'id="x-{exception_id}"' not in admin.get("/exceptions").text
    resolved = admin.get("/exceptions", params={"status": "resolved"}).text
    assert "Resolved by admin@example.com: stock corrected — “counted 0 on the shelf”" in resolved


def test_an_owner_reads_exceptions_but_gets_no_resolve_form(hq_server, till):
    from tests.fixtures.hq import PASSWORD, add_hq_user

    oversell(hq_server, till)
    add_hq_user(hq_server.database_url, "owner@example.com", "owner")
    with signed_in(hq_server, "owner@example.com", PASSWORD) as owner:
        html = owner.get("/exceptions").text
        assert "Oversold:" in html and "Resolve…" not in html
        exception_id = re.search(r'id="x-([0-9a-f-]+)"', html).group(1)
        assert owner.post(f"/exceptions/{exception_id}/resolve",
                          data={"resolution": "x"}).status_code == 403


def test_a_store_manager_cannot_see_or_resolve_another_stores_exceptions(hq_server, admin):
    from tests.integration.hq.helpers import ScriptedTill

    code = admin.post("/devices/enrolment-codes", data={"store": "S002"})
    s002 = ScriptedTill(hq_server.url, re.search(r'id="enrolment-code"[^>]*>([A-Z0-9-]+)<', code.text).group(1))
    oversell(hq_server, s002)
    exception_id = re.search(r'id="x-([0-9a-f-]+)"', admin.get("/exceptions").text).group(1)

    with signed_in(hq_server, *MANAGER) as manager:
        html = manager.get("/exceptions", params={"store": "S002"}).text
        assert "Oversold:" not in html and 'data-store-count="S002"' not in html
        reply = manager.post(f"/exceptions/{exception_id}/resolve", data={"resolution": "x"})
        assert reply.headers["location"] == "/exceptions?done=gone"
    assert f'id="x-{exception_id}"' in admin.get("/exceptions").text


# --- devices ----------------------------------------------------------------------------------

def test_the_devices_page_lists_tills_and_makes_enrolment_codes(hq_server, admin, till):
    till.sell((hq_server.seed.products[0], 1))
    till.push()

    html = admin.get("/devices").text
    assert f'id="d-{till.device_id}"' in html and "till-1" in html and "just now" in html

    reply = admin.post("/devices/enrolment-codes", data={"store": "S002"})
    assert reply.status_code == 201
    assert re.search(r'Enrolment code for <b>S002</b>: <output id="enrolment-code" '
                     r'class="code-value">[A-Z2-9]{4}-[A-Z2-9]{4}</output>', reply.text)


def test_revoking_a_till_from_the_page_stops_its_token(hq_server, admin, till):
    reply = admin.post(f"/devices/{till.device_id}/revoke")

    assert reply.headers["location"] == "/devices?done=revoked"
    assert "revoked" in admin.get("/devices").text
    assert till.push().status_code in (401, 403)


def test_releasing_a_till_that_is_not_quarantined_is_refused_and_changes_nothing(hq_server, admin, till):
    reply = admin.post(f"/devices/{till.device_id}/release", data={"note": "fine"})

    assert reply.status_code == 409 and "is not quarantined" in reply.text


def test_a_store_manager_sees_only_their_stores_tills_and_codes(hq_server, admin, till):
    with signed_in(hq_server, *MANAGER) as manager:
        html = manager.get("/devices").text
        assert f'id="d-{till.device_id}"' in html
        assert '<option value="S002">' not in html
        refused = manager.post("/devices/enrolment-codes", data={"store": "S002"})
        assert refused.status_code == 403 and "only for your own stores" in refused.text


def test_a_quarantined_till_shows_in_words_and_is_released_from_the_page(hq_server, admin, till):
    from tests.integration.hq.test_quarantine import rewrite_first_sale

    till.products = hq_server.seed.products
    assert till.push([rewrite_first_sale(till)]).status_code == 409
    assert "Till quarantined: till-1 at S001 — " in admin.get("/exceptions").text
    assert "quarantined" in admin.get("/devices").text

    reply = admin.post(f"/devices/{till.device_id}/release", data={"note": "journal checked"})

    assert reply.headers["location"] == "/devices?done=released"
    assert "Till released" in admin.get("/devices?done=released").text
    resolved = admin.get("/exceptions", params={"status": "resolved", "kind": "integrity"}).text
    assert "Resolved by admin@example.com: device released — “journal checked”" in resolved
