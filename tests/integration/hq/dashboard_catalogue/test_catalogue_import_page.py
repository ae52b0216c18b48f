"""The import page's POST (the file as the body, or a multipart form without the script) and the
progress it reports while a file is read."""

from __future__ import annotations

import re
import threading
import time
import urllib.parse

from sqlalchemy import text

from hq_server.catalogue_admin.import_progress import import_progress, label_import
from hq_server.db.session import make_engine, make_session_factory, transaction
from tests.integration.hq.dashboard_catalogue.conftest import import_csv
from tests.integration.hq.helpers import query

GOOD = "sku,name,category,price,barcodes\nIMP-1,Imported one,Imports,2.50,\nIMP-2,Imported two,Imports,3.00,\n"
BAD = ("sku,name,price,barcodes\nBAD-1,Fine,1.00,\nBAD-2,Broken,12.5x,\nBAD-1,Again,1.00,\n"
       "BAD-4,Code,1.00,4006381333932\n")


def test_a_file_with_bad_rows_changes_nothing_and_lists_every_problem(as_):
    products = query(as_.database_url, "SELECT count(*) FROM products")

    reply = import_csv(as_("buyer"), BAD)

    assert reply.status_code == 422
    rows = re.findall(r'<tr><td class="num">(\d+)</td><td class="sku">(\w+)</td><td>([^<]+)</td></tr>', reply.text)
    assert rows == [("3", "price", "bad price &#39;12.5x&#39;: not an amount: &#39;12.5x&#39;"),
                    ("4", "sku", "SKU BAD-1 is also on row 2"),
                    ("5", "barcodes", "barcode &#39;4006381333932&#39; has a wrong check digit")]
    assert "Nothing was imported: 3 problems in 4 rows." in reply.text
    report = urllib.parse.unquote(re.search(r'href="data:text/csv;charset=utf-8,([^"]+)"', reply.text)[1])
    assert report.splitlines()[0] == "row,column,message"
    assert report.splitlines()[2] == "4,sku,SKU BAD-1 is also on row 2"
    assert query(as_.database_url, "SELECT count(*) FROM products") == products
    assert "<html" not in reply.text  # a fragment for the page's script


def test_a_good_file_is_applied_and_counted(as_):
    reply = import_csv(as_("admin"), GOOD)

    assert reply.status_code == 200
    assert '<span class="created">2 new</span>' in reply.text
    assert query(as_.database_url, "SELECT sku, price_minor FROM products WHERE category = 'Imports' "
                                   "ORDER BY sku") == [("IMP-1", 250), ("IMP-2", 300)]


def test_without_the_script_a_multipart_form_gets_the_whole_page(as_):
    reply = as_("buyer").post("/catalogue/import", files={"file": ("p.csv", BAD.encode(), "text/csv")})

    assert reply.status_code == 422
    assert "<title>TillHQ — Import products</title>" in reply.text
    assert "SKU BAD-1 is also on row 2" in reply.text


def test_progress_counts_the_rows_read_while_another_connection_imports(as_):
    engine = make_engine(as_.database_url, pool_size=2)
    factory = make_session_factory(engine)
    import_id, copying, release = "ab" * 16, threading.Event(), threading.Event()

    def slow_import() -> None:  # a COPY held open after 5,000 rows, as staging a big file is
        with transaction(factory) as session:
            label_import(session, import_id)
            session.execute(text("CREATE TEMP TABLE t (n int, pad text) ON COMMIT DROP"))
            cursor = session.connection().connection.driver_connection.cursor()
            with cursor.copy("COPY t (n, pad) FROM STDIN") as copy:
                for n in range(5000):  # 500 kB: psycopg sends all but its last buffer at once
                    copy.write_row((n, "x" * 100))
                copying.set()
                release.wait(20)

    worker = threading.Thread(target=slow_import)
    worker.start()
    try:
        assert copying.wait(20)
        seen = None
        for _ in range(50):
            with transaction(factory) as session:
                seen = import_progress(session, import_id)
            if seen.rows_read > 4000:
                break
            time.sleep(0.1)
        assert seen is not None and (seen.running, seen.reading) == (True, True)
        assert 4000 < seen.rows_read <= 5000
    finally:
        release.set()
        worker.join(20)
    with transaction(factory) as session:
        assert not import_progress(session, import_id).running
    engine.dispose()
    reply = as_("buyer").get(f"/catalogue/import/{import_id}/progress")
    assert reply.json() == {"running": False, "reading": False, "rows_read": 0}
    assert as_("store_manager").get(f"/catalogue/import/{import_id}/progress").status_code == 403
