"""Errors a cashier can act on: each message says what happened and what to do."""

from __future__ import annotations


class SaleError(ValueError):
    """Base for refusals at the counter; the message is shown to the cashier as is."""


class UnknownProduct(SaleError):
    def __init__(self, code: str, *, by: str = "barcode") -> None:
        super().__init__(f"No product with {by} {code} — check the code or search by name")
        self.code = code


class InvalidCode(SaleError):
    pass


class NotForSale(SaleError):
    pass


class InvalidQuantity(SaleError):
    pass


class EmptyBasket(SaleError):
    def __init__(self) -> None:
        super().__init__("The basket is empty — scan an item first")


class Underpayment(SaleError):
    pass
