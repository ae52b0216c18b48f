"""A till reads a change-log page holding a kind of change it predates: it passes over that entry,
applies the rest and moves its cursor on, instead of refusing the page (and stalling) until it
is updated."""

from __future__ import annotations

import json

from shared.wire import CHANGE_KINDS, PullResponse
from tests.fixtures.till import MILK, STORE_ID, product_change
from till.ledger.master_data import apply_pull_page
from till.sale import Catalog


def test_an_unknown_kind_of_change_is_passed_over_and_the_page_still_applies(till_ledger):
    renamed = {**MILK, "name": "Whole milk 1L"}
    body = json.dumps({"changes": [
        {"cursor": 900, "kind": "price_list", "data": {"code": "PL-1", "store": "S001"}},
        product_change(901, renamed).model_dump(),
    ], "next_cursor": 901, "has_more": False})

    page = PullResponse.model_validate_json(body)
    with till_ledger.transaction() as uow:
        applied = apply_pull_page(uow, page, STORE_ID)

    assert "price_list" not in CHANGE_KINDS and applied == 2
    assert Catalog(till_ledger).lookup(MILK["sku"]).name == "Whole milk 1L"
    cursor = till_ledger.connection().execute("SELECT pull_cursor FROM sync_state").fetchone()[0]
    assert cursor == 901
