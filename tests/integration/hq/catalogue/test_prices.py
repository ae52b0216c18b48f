from datetime import UTC, datetime, timedelta

from hq_server.catalogue_admin.prices import apply_scheduled_prices
from shared.wire import PullResponse
from tests.integration.hq.catalogue.conftest import family_csv, last_product_change, pull_all
from tests.integration.hq.helpers import in_transaction, query
from till.ledger.master_data import apply_pull_page
from till.sale import Catalog


def test_a_store_price_reaches_only_that_stores_tills(hq):
    s001, s002 = hq.till("S001"), hq.till("S002")
    end1, end2 = pull_all(s001)[-1]["cursor"], pull_all(s002)[-1]["cursor"]

    reply = hq.call("POST", "/prices", json={"sku": "NAI-RED-10", "store": "S001", "price": "4.99"})

    assert reply.status_code == 201, reply.text
    assert last_product_change(pull_all(s001, end1), "NAI-RED-10")["price_minor"] == 499
    assert last_product_change(pull_all(s002, end2), "NAI-RED-10")["price_minor"] == 599
    prices = hq.call("GET", "/products/NAI-RED-10/prices").json()["stores"]
    assert prices == [{"store": "S001", "price_minor": 499, "source": "store", "price": "4.99"},
                      {"store": "S002", "price_minor": 599, "source": "base", "price": "5.99"}]


def test_a_store_price_survives_a_later_chain_wide_price_change(hq):
    hq.import_csv(family_csv("SURV", "00010"))
    hq.call("POST", "/prices", json={"sku": "SURV-S-RED", "store": "S002", "price": "9.00"})
    till = hq.till("S002")

    hq.import_csv(family_csv("SURV", "00010").replace("12.50,4.10,5", "11.00,4.10,5"))

    changes = pull_all(till)
    assert last_product_change(changes, "SURV-S-RED")["price_minor"] == 900
    assert hq.call("GET", "/products/SURV-S-RED/prices").json()["stores"][0]["price_minor"] == 1100


def test_a_scheduled_price_reaches_a_till_that_pulls_after_its_start_and_ends_on_time(hq, till_ledger):
    till = hq.till("S001")
    start = datetime.now(UTC) + timedelta(hours=1)
    entry = hq.call("POST", "/prices", json={"sku": "SHA-DRY-200", "price": "3.99",
                                             "starts_at": start.isoformat(),
                                             "ends_at": (start + timedelta(days=7)).isoformat()})
    assert entry.status_code == 201, entry.text
    apply_to_till(till_ledger, pull_all(till))
    barcode = hq.seed.product("SHA-DRY-200").barcode
    assert Catalog(till_ledger).lookup(barcode).price.minor == 549  # not started yet

    assert in_transaction(hq.database_url, lambda s: apply_scheduled_prices(s, start - timedelta(seconds=1))) == 0
    assert in_transaction(hq.database_url, lambda s: apply_scheduled_prices(s, start + timedelta(seconds=1))) == 1
    apply_to_till(till_ledger, pull_all(till))
    assert Catalog(till_ledger).lookup(barcode).price.minor == 399

    in_transaction(hq.database_url, lambda s: apply_scheduled_prices(s, start + timedelta(days=8)))
    apply_to_till(till_ledger, pull_all(till))
    assert Catalog(till_ledger).lookup(barcode).price.minor == 549
    assert in_transaction(hq.database_url, lambda s: apply_scheduled_prices(s, start + timedelta(days=9))) == 0


def apply_to_till(ledger, changes: list[dict]) -> None:  # noqa: ANN001
    page = PullResponse.model_validate({"changes": changes, "next_cursor": changes[-1]["cursor"],
                                        "has_more": False})
    with ledger.transaction() as uow:
        apply_pull_page(uow, page, "any-store")


def test_the_effective_price_at_a_time_prefers_the_store_then_the_chain_schedule(hq):
    at = datetime.now(UTC) + timedelta(days=30)
    hq.call("POST", "/prices", json={"sku": "ACC-CLP-12", "price": "3.00", "starts_at": at.isoformat()})
    hq.call("POST", "/prices", json={"sku": "ACC-CLP-12", "store": "S002", "price": "2.50",
                                     "starts_at": (at + timedelta(days=1)).isoformat()})

    def prices(when):  # noqa: ANN001, ANN202
        reply = hq.call("GET", "/products/ACC-CLP-12/prices", params={"at": when.isoformat()})
        return [(s["store"], s["price_minor"], s["source"]) for s in reply.json()["stores"]]

    assert prices(at - timedelta(hours=1)) == [("S001", 449, "base"), ("S002", 449, "base")]
    assert prices(at + timedelta(hours=1)) == [("S001", 300, "chain_schedule"), ("S002", 300, "chain_schedule")]
    assert prices(at + timedelta(days=2)) == [("S001", 300, "chain_schedule"), ("S002", 250, "store")]
    listed = hq.call("GET", "/price-lists/S002").json()["entries"]
    assert [(e["sku"], e["price_minor"]) for e in listed if e["sku"] == "ACC-CLP-12"] == [("ACC-CLP-12", 250)]


def test_ending_a_store_price_returns_its_tills_to_the_chain_price_and_is_audited(hq):
    entry = hq.call("POST", "/prices", json={"sku": "SKN-CLN-200", "store": "S001", "price": "10.00"}).json()
    till = hq.till("S001")
    end = pull_all(till)[-1]["cursor"]

    assert hq.call("DELETE", f"/prices/{entry['id']}").status_code == 200

    assert last_product_change(pull_all(till, end), "SKN-CLN-200")["price_minor"] == 1149
    assert hq.call("DELETE", f"/prices/{entry['id']}").status_code == 422
    actions = [a for (a,) in query(hq.database_url, "SELECT action FROM audit_log WHERE entity_id = %s "
                                                    "ORDER BY id", (entry["id"],))]
    assert actions == ["price.scheduled", "price.ended"]


def test_bad_prices_are_refused_in_words(hq):
    def post(**body):  # noqa: ANN202
        return hq.call("POST", "/prices", json={"sku": "BRU-PAD-L", **body})

    assert post(price="1.234").json()["detail"] == "'1.234' has more than 2 decimals for EUR"
    assert post(price="-1").json()["detail"] == "a price must not be negative"
    assert post(price="1", store="S999").json()["detail"] == "no store with code 'S999'"
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    assert post(price="1", ends_at=past).status_code == 422
    assert hq.call("POST", "/prices", json={"sku": "NOPE", "price": "1"}).status_code == 404
