"""A small, known catalogue for tests: stores S001 and S002, ten products, 20 of each in stock.

Till users for every store (hq_server.seed.demo_users): cashier Ana PIN 1111, supervisor Sam
PIN 9999 (badge SAM-0001), manager Mia PIN 4321. Demo PINs only.

HQ back-office users (hq_server.seed.demo_users.DEMO_HQ_USERS): admin@example.com password
"tillhq-admin" (admin), buyer@example.com "tillhq-buyer" (buyer), manager.s001@example.com
"tillhq-manager" (store_manager of S001). Demo passwords only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from hq_server.catalog.service import create_product, create_store
from hq_server.db.session import make_engine, make_session_factory, transaction
from hq_server.seed.demo_users import (
    DEMO_HQ_USERS,
    DEMO_TILL_USERS,
    demo_password_hash,
    demo_pin_hash,
)
from hq_server.stock.service import StockBatch
from hq_server.till_users.service import create_till_user
from hq_server.users.service import create_user
from shared.barcodes import make_ean13

OPENING_STOCK = 20

PRODUCTS = [  # sku, name, price_minor, tax_class, reorder point
    ("SHA-ARG-250", "Argan Repair Shampoo 250ml", 899, "standard", 5),
    ("CON-ARG-250", "Argan Repair Conditioner 250ml", 949, "standard", 5),
    ("COL-CHS-6N", "Permanent Hair Colour 6N Chestnut", 1299, "standard", 4),
    ("BRU-PAD-L", "Paddle Brush Large", 1499, "standard", 3),
    ("NAI-RED-10", "Nail Polish Cherry Red 10ml", 599, "standard", 6),
    ("SKN-HYA-50", "Hyaluronic Day Cream 50ml", 2499, "standard", 3),
    ("SKN-CLN-200", "Gentle Foaming Cleanser 200ml", 1149, "standard", 4),
    ("ACC-CLP-12", "Claw Clips 12 pack", 449, "standard", 8),
    ("SHA-DRY-200", "Dry Shampoo 200ml", 549, "standard", 6),
    ("VIT-BIO-60", "Biotin Hair Vitamins 60 caps", 1999, "reduced", 3),
]


@dataclass(frozen=True, slots=True)
class SeedStore:
    id: uuid.UUID
    code: str
    name: str
    currency: str


@dataclass(frozen=True, slots=True)
class SeedProduct:
    id: uuid.UUID
    sku: str
    name: str
    barcode: str
    price_minor: int
    tax_class: str
    reorder_point: int


@dataclass(frozen=True, slots=True)
class SmallSeed:
    stores: list[SeedStore]
    products: list[SeedProduct]
    opening_stock: int = OPENING_STOCK

    def store(self, code: str) -> SeedStore:
        return next(s for s in self.stores if s.code == code)

    def product(self, sku: str) -> SeedProduct:
        return next(p for p in self.products if p.sku == sku)


def seed_small(database_url: str) -> SmallSeed:
    engine = make_engine(database_url, pool_size=1)
    try:
        with transaction(make_session_factory(engine)) as session:
            stores = [create_store(session, code="S001", name="Lumen Beauty — Camden", currency="EUR"),
                      create_store(session, code="S002", name="Lumen Beauty — Brixton", currency="EUR")]
            products = []
            stock = StockBatch()
            for i, (sku, name, price, tax, reorder) in enumerate(PRODUCTS, start=1):
                barcode = make_ean13(f"400000000{i:03d}")
                product = create_product(session, sku=sku, name=name, price_minor=price,
                                         currency="EUR", barcodes=[barcode], category="Test",
                                         vendor="Lumen", cost_minor=price // 2, tax_class=tax,
                                         reorder_point=reorder)
                products.append(SeedProduct(product.id, sku, name, barcode, price, tax, reorder))
                for store in stores:
                    stock.add(product.id, store.id, OPENING_STOCK, "opening")
            for name, role, pin, badge, max_discount_bp in DEMO_TILL_USERS:
                create_till_user(session, name=name, role=role, pin=pin, badge=badge,
                                 max_discount_bp=max_discount_bp, hasher=demo_pin_hash)
            for email, name, role, password, store_codes in DEMO_HQ_USERS:
                create_user(session, None, email=email, name=name, role=role, password=password,
                            store_codes=store_codes, hasher=demo_password_hash)
            stock.flush(session)
            return SmallSeed([SeedStore(s.id, s.code, s.name, s.currency) for s in stores], products)
    finally:
        engine.dispose()
