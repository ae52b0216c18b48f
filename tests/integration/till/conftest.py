"""Shared helpers for till integration tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared.money import Money
from till.ledger import Ledger
from till.sale import Basket, Catalog, CompletedSale, SaleService

from .fake_hq import FakeHQ


def sell(ledger: Ledger, *codes: str, cash_minor: int = 5000,
         sales: SaleService | None = None) -> CompletedSale:
    """Ring up the codes and pay cash (no printer unless `sales` brings one)."""
    catalog = Catalog(ledger)
    basket = Basket("EUR")
    for code in codes:
        basket.add(catalog.lookup(code))
    return (sales or SaleService(ledger)).complete_sale(basket, Money(cash_minor, "EUR"), "Ana")


@pytest.fixture
def fake_hq() -> Iterator[FakeHQ]:
    hq = FakeHQ().start()
    yield hq
    hq.stop()
