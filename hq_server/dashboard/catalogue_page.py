"""GET /catalogue: products, variants, barcodes, prices, bundles; CSV import and export."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["dashboard"], include_in_schema=False)
