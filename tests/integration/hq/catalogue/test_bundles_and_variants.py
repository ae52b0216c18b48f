from types import SimpleNamespace

from hq_server.catalogue_admin.bundles import bundle_component_movements, bundles_among
from tests.integration.hq.catalogue.conftest import family_csv
from tests.integration.hq.helpers import adjust_stock, in_transaction, query
from tests.integration.hq.test_returns_ingest import record_return

KIT = "sku,name,price\nKIT-ARG,Argan kit,19.99\nKIT-BIG,Big kit,29.99\n"


def make_kit(hq) -> None:  # noqa: ANN001
    assert hq.import_csv(KIT).status_code == 200
    reply = hq.call("PUT", "/products/KIT-ARG/components",
                    json={"components": [{"sku": "SHA-ARG-250", "quantity": 1},
                                         {"sku": "CON-ARG-250", "quantity": 2}]})
    assert reply.status_code == 200, reply.text


def test_a_bundle_is_available_as_often_as_its_scarcest_component_allows(hq):
    make_kit(hq)
    seed = hq.seed
    adjust_stock(hq.database_url, seed.product("CON-ARG-250").id, seed.store("S002").id, -15)  # 5 left

    reply = hq.call("GET", "/products/KIT-ARG/availability")

    assert reply.json()["stores"] == [{"store": "S001", "available": 10}, {"store": "S002", "available": 2}]
    mine = hq.call("GET", "/products/KIT-ARG/availability", "store_manager").json()["stores"]
    assert mine == [{"store": "S001", "available": 10}]


def test_selling_a_bundle_moves_each_component_by_its_quantity(hq):
    make_kit(hq)
    kit = query(hq.database_url, "SELECT id FROM products WHERE sku = 'KIT-ARG'")[0][0]
    plain = hq.seed.product("BRU-PAD-L").id

    sold = in_transaction(hq.database_url, lambda s: bundle_component_movements(s, kit, -3))
    returned = in_transaction(hq.database_url, lambda s: bundle_component_movements(s, kit, 1))
    not_a_bundle = in_transaction(hq.database_url, lambda s: bundle_component_movements(s, plain, -1))

    shampoo, conditioner = hq.seed.product("SHA-ARG-250").id, hq.seed.product("CON-ARG-250").id
    assert sorted(sold) == sorted([(shampoo, -3), (conditioner, -6)])
    assert sorted(returned) == sorted([(shampoo, 1), (conditioner, 2)])
    assert not_a_bundle == []
    batch = in_transaction(hq.database_url, lambda s: bundles_among(s, [kit, plain]))
    assert {k: sorted(v) for k, v in batch.items()} == {kit: sorted([(shampoo, 1), (conditioner, 2)])}


def test_bad_bundles_are_refused_in_words(hq):
    make_kit(hq)

    def put(sku, *components):  # noqa: ANN001, ANN202
        body = {"components": [{"sku": s, "quantity": q} for s, q in components]}
        return hq.call("PUT", f"/products/{sku}/components", json=body)

    assert put("KIT-BIG", ("KIT-ARG", 1)).json()["detail"] == "KIT-ARG is a bundle itself; bundles have one level"
    assert put("KIT-BIG", ("NOPE", 1)).json()["detail"] == "unknown component 'NOPE'"
    assert put("KIT-BIG", ("KIT-BIG", 1)).json()["detail"] == "a bundle cannot contain itself"
    assert put("KIT-BIG", ("BRU-PAD-L", 1), ("BRU-PAD-L", 2)).status_code == 422
    assert put("KIT-BIG", ("BRU-PAD-L", 0)).status_code == 422
    assert hq.call("GET", "/products/KIT-BIG/components").json()["components"] == []


def test_setting_components_is_audited_once_and_listed(hq):
    make_kit(hq)
    make_kit(hq)  # the same components again: no second audit row

    listed = hq.call("GET", "/products/KIT-ARG/components").json()["components"]

    assert [(c["sku"], c["quantity"]) for c in listed] == [("CON-ARG-250", 2), ("SHA-ARG-250", 1)]
    audits = query(hq.database_url, "SELECT after FROM audit_log WHERE action = 'bundle.components_set'")
    assert [a["components"] for (a,) in audits] == [[["CON-ARG-250", 2], ["SHA-ARG-250", 1]]]


def test_a_parent_lists_its_variants_with_attributes_and_costs_only_for_cost_readers(hq):
    hq.import_csv(family_csv("VAR", "00020"))

    as_admin = hq.call("GET", "/products/VAR/variants").json()
    as_viewer = hq.call("GET", "/products/VAR/variants", "viewer").json()

    assert as_admin["parent"]["sku"] == "VAR"
    assert [(v["sku"], v["attributes"], v["price"]) for v in as_admin["variants"]] == [
        ("VAR-M-RED", {"size": "M", "colour": "red"}, "13.00"),
        ("VAR-S-RED", {"size": "S", "colour": "red"}, "12.50")]
    assert as_admin["variants"][0]["cost"] == "4.10"
    assert all("cost" not in v and "cost_minor" not in v for v in as_viewer["variants"])
    assert hq.call("GET", "/products/NOPE/variants").status_code == 404


def test_a_till_sale_and_return_of_a_bundle_move_its_components_not_the_bundle(hq):
    make_kit(hq)
    kit_id, price = query(hq.database_url, "SELECT id, price_minor FROM products WHERE sku = 'KIT-ARG'")[0]
    kit = SimpleNamespace(id=kit_id, sku="KIT-ARG", name="Argan kit", price_minor=price)
    shampoo, conditioner = hq.seed.product("SHA-ARG-250").id, hq.seed.product("CON-ARG-250").id
    store = hq.seed.store("S001").id
    level = "SELECT on_hand FROM stock_on_hand WHERE product_id = %s AND store_id = %s"
    before = {p: query(hq.database_url, level, (p, store))[0][0] for p in (shampoo, conditioner)}
    till = hq.till("S001")

    sale = till.sell((kit, 2))
    record_return(till, sale, kit, 1)
    assert till.push().status_code == 200

    assert query(hq.database_url, level, (shampoo, store))[0][0] == before[shampoo] - 2 + 1
    assert query(hq.database_url, level, (conditioner, store))[0][0] == before[conditioner] - 4 + 2
    assert query(hq.database_url, level, (kit_id, store)) == []  # a bundle holds no stock
    moved = query(hq.database_url, "SELECT count(*) FROM stock_movements WHERE product_id = %s", (kit_id,))
    assert moved == [(0,)]
