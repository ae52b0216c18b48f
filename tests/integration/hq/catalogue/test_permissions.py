"""Admin and buyer edit the catalogue; every signed-in role reads it; costs only for cost readers."""

import httpx
import pytest

from tests.integration.hq.helpers import query

ROLES = ("admin", "owner", "buyer", "store_manager", "inventory", "viewer")
EDITORS = {"admin", "buyer"}
WRITES = [
    ("POST", "/products/import", {"content": b"sku,name,price\n", "headers": {"Content-Type": "text/csv"}}),
    ("PUT", "/products/BRU-PAD-L/components", {"json": {"components": []}}),
    ("POST", "/prices", {"json": {"sku": "BRU-PAD-L", "price": "14.99",
                                  "starts_at": "2099-01-01T00:00:00Z"}}),
    ("DELETE", "/prices/01950000-0000-7000-8000-000000000000", {}),
    ("POST", "/prices/apply-scheduled", {}),
]
READS = ["/products.csv", "/products/BRU-PAD-L/variants", "/products/BRU-PAD-L/components",
         "/products/BRU-PAD-L/prices", "/price-lists/S001", "/price-lists/chain"]


@pytest.mark.parametrize("role", ROLES)
def test_only_admin_and_buyer_may_change_the_catalogue(hq, role):
    for method, path, kw in WRITES:
        reply = hq.call(method, path, role, **kw)
        if role in EDITORS:
            assert reply.status_code not in (401, 403), (method, path, reply.text)
        else:
            assert reply.status_code == 403, (method, path, reply.status_code)
            assert f"your role ({role}) may not do this" in reply.json()["detail"]


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_role_may_read_the_catalogue(hq, role):
    for path in READS:
        assert hq.call("GET", path, role).status_code == 200, (role, path)


def test_no_token_gets_401_everywhere(hq):
    for method, path, kw in [*WRITES, *[("GET", p, {}) for p in READS]]:
        reply = httpx.request(method, f"{hq.url}/api/v1/catalogue{path}", timeout=30, **kw)
        assert reply.status_code == 401, (method, path)


@pytest.mark.parametrize("role", ROLES)
def test_the_export_has_a_cost_column_only_for_roles_that_see_costs(hq, role):
    header = hq.call("GET", "/products.csv", role).text.splitlines()[0].split(",")

    assert ("cost" in header) == (role in {"admin", "owner", "buyer", "store_manager"})
    assert header[:3] == ["sku", "name", "description"] and "price" in header


def test_a_store_manager_sees_only_their_stores_prices(hq):
    assert hq.call("GET", "/price-lists/S002", "store_manager").status_code == 403
    stores = hq.call("GET", "/products/BRU-PAD-L/prices", "store_manager").json()["stores"]
    assert [s["store"] for s in stores] == ["S001"]


def test_a_buyer_import_is_applied_and_audited_as_the_buyer(hq):
    reply = hq.import_csv("sku,name,price\nBUY-1,Bought by a buyer,2.00\n", role="buyer")

    assert reply.status_code == 200 and reply.json()["created"] == 1
    who = query(hq.database_url, "SELECT u.email FROM audit_log a JOIN hq_users u ON u.id = a.user_id "
                                 "WHERE a.entity = 'product' AND a.after->>'sku' = 'BUY-1'")
    assert who == [("buyer@example.com",)]
