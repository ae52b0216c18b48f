"""The Catalogue pages in a real Chromium: importing a CSV with bad rows (every problem listed,
a CSV report to download, nothing applied) and a good one (progress, counts, the products
listed), searching and opening a product and adding a barcode by keyboard, and a role that may
not edit. Writes the buyer guide's screenshots to docs/screenshots/."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from shared.barcodes import make_ean13
from tests.integration.hq.helpers import query

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
USERS = {"buyer": ("buyer@example.com", "tillhq-buyer"),
         "manager": ("manager.s001@example.com", "tillhq-manager")}
HEADER = "sku,name,description,category,unit,tax_class,price,cost,barcodes,active,parent_sku,size,colour"
TEES = (f"{HEADER}\n"
        "TEE,Basic tee,Cotton crew neck,Tops,each,standard,12.50,4.10,,true,,,\n"
        f"TEE-S-RED,Basic tee S red,,Tops,each,standard,12.50,4.10,{make_ean13('501234500001')},true,TEE,S,red\n"
        f"TEE-M-RED,Basic tee M red,,Tops,each,standard,13.00,4.10,{make_ean13('501234500002')},true,TEE,M,red\n"
        f"TEE-L-BLU,Basic tee L blue,,Tops,each,standard,13.00,4.10,{make_ean13('501234500003')},true,TEE,L,blue\n"
        "SCARF-W,Wool scarf,Merino,Accessories,each,standard,24.00,9.00,,true,,,\n")
BAD = (f"{HEADER}\n"
       "TEE,Basic tee,,Tops,each,standard,12.5x,4.10,,true,,,\n"
       "TEE-S-RED,Basic tee S red,,Tops,each,standard,12.50,4.10,4006381333932,true,TEE,S,red\n"
       "TEE,Basic tee again,,Tops,each,standard,12.50,4.10,,true,,,\n"
       "TEE-M-RED,Basic tee M red,,Tops,each,Standard Rate,13.00,4.10,,maybe,NOPE,M,red\n")


def sign_in(open_page, who: str, path: str, width: int = 1366) -> Page:  # noqa: ANN001
    page = open_page(width)
    page.goto(path)
    page.get_by_label("Email").fill(USERS[who][0])
    page.get_by_label("Password").fill(USERS[who][1])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("nav.nav")
    return page


def choose_and_import(page: Page, name: str, body: str) -> None:
    page.get_by_label("Product file (CSV)").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": body.encode()}])
    # Keep every stage the page shows: an import of a small file passes them in a blink.
    page.evaluate("""() => { window.stages = [];
        new MutationObserver(() => window.stages.push(document.getElementById('import-stage').textContent))
          .observe(document.getElementById('import-stage'), {childList: true, characterData: true, subtree: true}); }""")
    page.get_by_role("button", name="Import").click()


def test_a_file_with_bad_rows_shows_each_problem_with_a_report_and_applies_nothing(open_page, hq_server):
    products = query(hq_server.database_url, "SELECT count(*) FROM products")
    page = sign_in(open_page, "buyer", "/catalogue")
    page.get_by_role("link", name="Import CSV…").click()

    choose_and_import(page, "tees.csv", BAD)

    errors = page.locator("table.import-errors tbody tr")
    expect(errors).to_have_count(6)
    expect(page.get_by_role("alert")).to_contain_text("Nothing was imported: 6 problems in 4 rows.")
    expect(errors.nth(0)).to_have_text("2price" + "bad price '12.5x': not an amount: '12.5x'")
    expect(errors.nth(1)).to_have_text("3barcodes" + "barcode '4006381333932' has a wrong check digit")
    expect(errors.filter(has_text="SKU TEE is also on row 2")).to_have_count(1)
    expect(errors.filter(has_text="active must be true or false, not 'maybe'")).to_have_count(1)
    expect(errors.filter(has_text="unknown parent NOPE")).to_have_count(1)
    stages = page.evaluate("window.stages")
    assert stages[0].startswith("Uploading tees.csv") and "Checking 4 rows…" in stages
    assert query(hq_server.database_url, "SELECT count(*) FROM products") == products
    assert query(hq_server.database_url, "SELECT count(*) FROM products WHERE sku LIKE 'TEE%%'") == [(0,)]
    page.screenshot(path=str(SCREENSHOTS / "catalogue-import-errors.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the error report (CSV)").click()
    report = Path(download.value.path()).read_text().splitlines()
    assert download.value.suggested_filename == "import-errors.csv"
    assert report[0] == "row,column,message" and len(report) == 1 + 6
    assert "4,sku,SKU TEE is also on row 2" in report


def test_a_good_file_is_imported_with_progress_and_its_products_are_listed(open_page, hq_server):
    fillers = "".join(f"ZZ-{n:05d},Filler {n},,Fillers,each,standard,1.00,0.50,,true,,,\n" for n in range(3000))
    page = sign_in(open_page, "buyer", "/catalogue/import")

    choose_and_import(page, "tees.csv", TEES + fillers)

    outcome = page.locator(".import-outcome")
    expect(outcome).to_contain_text("Imported 3,005 rows: 3,005 new, 0 changed, 0 unchanged.", timeout=60_000)
    stages = page.evaluate("window.stages")
    assert stages[0].startswith("Uploading tees.csv") and "Checking 3,005 rows…" in stages
    expect(page.locator("#import-progress")).to_be_hidden()
    page.get_by_role("link", name="See the catalogue →").click()
    page.get_by_label("Search").fill("tee")
    page.get_by_label("Search").press("Enter")
    rows = page.locator("table.catalogue tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text("TEE")
    expect(rows.first).to_contain_text("3 variants")
    expect(rows.nth(1)).to_contain_text("variant of TEE")
    page.get_by_label("Search").fill("")
    page.get_by_label("Category").select_option("Fillers")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#catalogue-count")).to_have_text("3,000 products · page 1 of 60")
    page.get_by_label("Category").select_option("")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#catalogue-count")).to_have_text("3,015 products · page 1 of 61")
    expect(rows.first).to_contain_text("ACC-CLP-12")
    page.screenshot(path=str(SCREENSHOTS / "catalogue.png"), full_page=False)


def test_search_open_a_product_and_add_a_barcode_by_keyboard(open_page, hq_server):
    page = sign_in(open_page, "buyer", "/catalogue/import")
    choose_and_import(page, "tees.csv", TEES)
    expect(page.locator(".import-outcome")).to_contain_text("5 new")
    page.goto("/catalogue")

    page.get_by_label("Search").fill("M-RED")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="TEE-M-RED").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Basic tee M red")
    expect(page.locator("table.variants tbody tr")).to_have_count(4)
    expect(page.locator("table.variants tr.current")).to_contain_text("M")
    code = make_ean13("501234500099")
    page.get_by_label("Add barcode").fill(code)
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_have_text("Barcode added.")
    expect(page.locator("ul.barcodes li")).to_have_count(2)
    expect(page.locator("ul.barcodes")).to_contain_text(code)
    assert query(hq_server.database_url, "SELECT count(*) FROM product_barcodes WHERE barcode = %s",
                 (code,)) == [(1,)]
    page.get_by_label("Where").select_option("S002")
    page.get_by_label("New price (EUR)").fill("11.99")
    page.get_by_role("button", name="Add price").click()
    expect(page.locator('table.store-prices tr[data-store="S002"]')).to_contain_text("€11.99")
    expect(page.locator("table.price-entries tbody tr")).to_have_count(1)

    page.get_by_label("Add barcode").fill("4006381333932")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#product-errors")).to_contain_text("Barcodes: barcode '4006381333932' has a wrong check digit")
    expect(page.locator("ul.barcodes li")).to_have_count(2)
    page.goto("/catalogue/TEE-M-RED")
    page.screenshot(path=str(SCREENSHOTS / "catalogue-product.png"), full_page=True)

    narrow = sign_in(open_page, "buyer", "/catalogue/TEE-M-RED", width=820)  # tablet width
    expect(narrow.locator("table.variants")).to_be_visible()
    assert narrow.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    narrow.goto("/catalogue")
    assert narrow.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_role_that_may_not_edit_sees_no_edit_controls_and_its_post_is_refused(open_page, hq_server):
    page = sign_in(open_page, "manager", "/catalogue")

    expect(page.get_by_role("link", name="Export CSV")).to_be_visible()
    expect(page.get_by_role("link", name="Import CSV…")).to_have_count(0)
    page.get_by_role("link", name="SHA-ARG-250").click()
    expect(page.locator(".tag.readonly")).to_have_text("read only")
    expect(page.locator("main form")).to_have_count(0)
    expect(page.locator("main button")).to_have_count(0)
    expect(page.locator(".facts .cost")).to_have_text("€4.49")  # a store manager sees costs
    status = page.evaluate("""() => fetch('/catalogue/SHA-ARG-250/barcodes', {method: 'POST',
        headers: {'Content-Type': 'application/x-www-form-urlencoded'},
        body: 'barcode=5901234123457'}).then(r => r.status)""")
    assert status == 403
    assert query(hq_server.database_url, "SELECT count(*) FROM product_barcodes WHERE barcode = '5901234123457'") == [(0,)]
    page.goto("/catalogue/import")
    expect(page.get_by_role("heading", name="Not for your role")).to_be_visible()
