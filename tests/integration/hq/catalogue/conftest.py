"""Catalogue tests: a seeded database (stores S001/S002, ten products) and a way to import into it."""

from __future__ import annotations

import io
import uuid

import httpx
import pytest

from hq_server.catalogue_admin.importer import ImportResult, import_products
from hq_server.seed.small import seed_small
from shared.barcodes import make_ean13
from tests.fixtures.hq import PASSWORD, add_hq_user, served_hq
from tests.integration.hq.helpers import ScriptedTill, enrol_till, in_transaction, query

HEADER = "sku,name,description,category,unit,tax_class,price,cost,barcodes,active,parent_sku,size,colour"


@pytest.fixture
def seeded_url(hq_database_url: str) -> str:
    seed_small(hq_database_url)
    return hq_database_url


def run_import(url: str, csv_text: str, *, currency: str = "EUR", dry_run: bool = False) -> ImportResult:
    upload = io.BytesIO(csv_text.encode())
    return in_transaction(url, lambda s: import_products(s, None, upload, currency=currency,
                                                         dry_run=dry_run))


def counts(url: str) -> dict[str, int]:
    """Rows in the tables an import writes, to prove what it did (or did not) touch."""
    tables = ("products", "product_barcodes", "change_log", "audit_log")
    return {t: query(url, f"SELECT count(*) FROM {t}")[0][0] for t in tables}


class CatalogueHQ:
    """One HQ for the catalogue tests (signing in is argon2-slow on purpose), with headers per
    role. Tests share its catalogue, so each works on SKUs (or assertions) of its own.
    """

    def __init__(self, running, url: str) -> None:  # noqa: ANN001
        self.running, self.url, self.database_url = running, running.url, url
        self.seed = running.seed
        self._headers: dict[str, dict[str, str]] = {}

    def as_(self, role: str) -> dict[str, str]:
        if role not in self._headers:
            self._headers[role] = self.running.headers_for(*_LOGINS[role])
        return self._headers[role]

    def call(self, method: str, path: str, role: str = "admin", **kw) -> httpx.Response:
        return httpx.request(method, f"{self.url}/api/v1/catalogue{path}",
                             headers={**self.as_(role), **kw.pop("headers", {})}, timeout=60, **kw)

    def import_csv(self, body: str, role: str = "admin", **params) -> httpx.Response:
        return self.call("POST", "/products/import", role, content=body.encode(), params=params,
                         headers={"Content-Type": "text/csv"})

    def till(self, store: str) -> ScriptedTill:
        return enrol_till(self.running, store, f"till-{store}-{uuid.uuid4().hex[:6]}")


_LOGINS = {"admin": ("admin@example.com", "tillhq-admin"), "buyer": ("buyer@example.com", "tillhq-buyer"),
           "store_manager": ("manager.s001@example.com", "tillhq-manager"),
           **{r: (f"{r}@example.com", PASSWORD) for r in ("owner", "inventory", "viewer")}}


@pytest.fixture(scope="package")
def hq(pg_cluster, _database_pool):  # noqa: ANN001, ANN201
    url = pg_cluster.url_for(_database_pool.take())
    with served_hq(url) as running:
        for role in ("owner", "inventory", "viewer"):
            add_hq_user(url, f"{role}@example.com", role, ("S001",) if role == "inventory" else ())
        yield CatalogueHQ(running, url)


def family_csv(prefix: str, digits: str) -> str:
    """A parent and two size/colour variants, SKUs starting `prefix`, barcodes from `digits` (5)."""
    a, b, c = (make_ean13(f"5{digits}{n:06d}") for n in (1, 2, 3))
    return (f"{HEADER}\n"
            f"{prefix},Basic tee,Cotton crew neck,Tops,each,standard,12.50,4.10,,true,,,\n"
            f"{prefix}-S-RED,Basic tee S red,,Tops,each,standard,12.50,4.10,{a}|{b},true,{prefix},S,red\n"
            f'{prefix}-M-RED,"Basic tee M red, long",,Tops,each,standard,13.00,4.10,{c},yes,{prefix},M,red\n')


def last_product_change(changes: list[dict], sku: str) -> dict | None:
    found = [c["data"] for c in changes if c["kind"] == "product" and c["data"]["sku"] == sku]
    return found[-1] if found else None


def pull_all(till: ScriptedTill, cursor: int = 0) -> list[dict]:
    changes = []
    while True:
        page = till.pull(cursor, limit=2000).json()
        changes += page["changes"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return changes
