"""A size/colour family imported at HQ (real PostgreSQL) reaches a till ledger as a family the
till's variant picker offers: parent SKU, attributes and unit as HQ publishes them."""

from shared.wire import PullResponse
from tests.integration.hq.catalogue.conftest import family_csv, pull_all
from till.ledger.master_data import apply_pull_page
from till.sale import Catalog


def test_an_imported_family_is_offered_by_its_parent_sku_at_the_till(hq, till_ledger):
    # Barcodes of its own: the package's HQ already holds other families' (family_csv "00020").
    reply = hq.import_csv(family_csv("VART", "00777"))
    assert reply.status_code == 200, reply.text
    changes = pull_all(hq.till("S001"))
    page = PullResponse.model_validate({"changes": changes, "next_cursor": changes[-1]["cursor"],
                                        "has_more": False})
    with till_ledger.transaction() as uow:
        apply_pull_page(uow, page, "any-store")

    catalog = Catalog(till_ledger)
    parent, variants = catalog.lookup_for_sale("VART")
    assert parent.name == "Basic tee" and parent.parent_sku == ""
    assert [(v.product.sku, v.product.parent_sku, v.product.attributes.get("size"),
             v.product.attributes.get("colour")) for v in variants] == [
        ("VART-M-RED", "VART", "M", "red"), ("VART-S-RED", "VART", "S", "red")]
    assert till_ledger.connection().execute(
        "SELECT unit FROM products WHERE sku = 'VART-S-RED'").fetchone()[0] == "each"
