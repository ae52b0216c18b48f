"""Sale logic: basket, catalogue lookup, completing a sale. No Qt."""

from .basket import Basket, BasketLine
from .catalog import Catalog
from .errors import (
    EmptyBasket,
    InvalidCode,
    InvalidQuantity,
    NotForSale,
    SaleError,
    Underpayment,
    UnknownProduct,
)
from .product import Product
from .service import CompletedSale, SaleService, receipt_number

__all__ = [
    "Basket", "BasketLine", "Catalog", "CompletedSale", "EmptyBasket", "InvalidCode",
    "InvalidQuantity", "NotForSale", "Product", "SaleError", "SaleService", "Underpayment",
    "UnknownProduct", "receipt_number",
]
