import csv
import io

from tests.integration.hq.catalogue.conftest import family_csv
from tests.integration.hq.helpers import query


def rows_of(reply) -> list[dict]:  # noqa: ANN001
    return list(csv.DictReader(io.StringIO(reply.text)))


def test_an_export_imported_again_changes_nothing(hq):
    assert hq.import_csv(family_csv("RT", "00001")).json()["created"] == 3
    exported = hq.call("GET", "/products.csv")
    changes = query(hq.database_url, "SELECT count(*) FROM change_log")[0][0]
    audits = query(hq.database_url, "SELECT count(*) FROM audit_log")[0][0]

    again = hq.import_csv(exported.text)

    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert again.status_code == 200, again.text
    body = again.json()
    assert (body["created"], body["updated"], body["applied"]) == (0, 0, False)
    assert body["unchanged"] == body["rows"] == len(rows_of(exported)) >= 13
    assert query(hq.database_url, "SELECT count(*) FROM change_log")[0][0] == changes
    assert query(hq.database_url, "SELECT count(*) FROM audit_log")[0][0] == audits


def test_the_export_lists_variants_after_their_parent_in_the_import_format(hq):
    hq.import_csv(family_csv("EX", "00002"))

    rows = rows_of(hq.call("GET", "/products.csv"))

    skus = [r["sku"] for r in rows]
    assert skus[skus.index("EX"):skus.index("EX") + 3] == ["EX", "EX-M-RED", "EX-S-RED"]
    tee = next(r for r in rows if r["sku"] == "EX-S-RED")
    assert (tee["price"], tee["cost"], tee["parent_sku"], tee["size"], tee["colour"], tee["active"]) \
        == ("12.50", "4.10", "EX", "S", "red", "true")
    assert tee["barcodes"].count("|") == 1


def test_a_bad_file_gets_a_422_report_as_json_or_csv(hq):
    bad = "sku,name,price\nX1,Thing,abc\n"

    as_json = hq.import_csv(bad)
    as_csv = hq.import_csv(bad, report="csv")

    assert as_json.status_code == 422
    assert as_json.json()["errors"] == [{"row": 2, "column": "price",
                                         "message": "bad price 'abc': not an amount: 'abc'"}]
    assert as_csv.status_code == 422 and as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.text.splitlines() == ["row,column,message", "2,price,bad price 'abc': not an amount: 'abc'"]


def test_a_dry_run_says_what_would_change_and_writes_nothing(hq):
    reply = hq.import_csv(family_csv("DRY", "00003"), dry_run="true")

    assert reply.json()["created"] == 3 and reply.json()["applied"] is False
    assert query(hq.database_url, "SELECT count(*) FROM products WHERE sku LIKE 'DRY%%'")[0][0] == 0


def test_imported_products_reach_a_till_as_product_changes_with_their_variant_data(hq):
    till = hq.till("S002")
    start = till.pull(0, limit=2000).json()
    while start["has_more"]:
        start = till.pull(start["next_cursor"], limit=2000).json()

    hq.import_csv(family_csv("TILL", "00004"))
    page = till.pull(start["next_cursor"]).json()

    variant = next(c["data"] for c in page["changes"] if c["data"].get("sku") == "TILL-S-RED")
    assert variant["price_minor"] == 1250 and variant["currency"] == "EUR" and variant["active"] is True
    assert variant["parent_sku"] == "TILL" and variant["attributes"] == {"size": "S", "colour": "red"}
    assert len(variant["barcodes"]) == 2
    assert {c["kind"] for c in page["changes"]} == {"product"} and len(page["changes"]) == 3


def test_a_file_uploaded_as_a_multipart_form_is_imported(hq):
    body = family_csv("MP", "00005").encode()
    reply = hq.call("POST", "/products/import", files={"file": ("products.csv", body, "text/csv")})

    assert reply.status_code == 200, reply.text
    assert reply.json()["created"] == 3


def test_a_large_multipart_upload_is_cut_out_whole(hq):
    rows = "\n".join(f"MPL-{i:05d},Product {i} with a longer name,1.{i % 100:02d}" for i in range(2000))
    body = f"sku,name,price\n{rows}\n".encode()  # ~100 kB: the part spans two read chunks

    reply = hq.call("POST", "/products/import", files={"file": ("big.csv", body, "text/csv")})

    assert reply.status_code == 200, reply.text
    assert len(body) > 65536 and reply.json()["created"] == 2000
    assert query(hq.database_url, "SELECT price_minor FROM products WHERE sku = 'MPL-01999'")[0][0] == 199
