"""The basket being rung up: lines in scan order, money in integer minor units.

Its totals come from shared.pricing with the store's rules (tax per class, tax-inclusive or not),
so the screen, the payment, the journal and the receipt all read the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shared.money import Money
from shared.pricing import LineInput, PricedBasket, PricingError, PricingRules, price_basket

from .errors import InvalidQuantity, SaleError
from .product import Product

MAX_QUANTITY = 9999  # a fat-fingered 100000 is a mistake, not a sale


@dataclass(slots=True)
class BasketLine:
    product: Product
    quantity: int
    price_override: Money | None = None  # a supervisor's price or a discount, per unit
    override: dict[str, Any] = field(default_factory=dict)  # SaleCompleted.line_overrides entry

    @property
    def unit_price(self) -> Money:
        return self.price_override if self.price_override is not None else self.product.price

    @property
    def total(self) -> Money:
        return self.unit_price * self.quantity


def check_quantity(quantity: object) -> int:
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        raise InvalidQuantity(f"Quantity must be a whole number, got {quantity!r}")
    if quantity < 1:
        raise InvalidQuantity(f"Quantity must be at least 1, got {quantity} — "
                              "remove the line (Delete) instead")
    if quantity > MAX_QUANTITY:
        raise InvalidQuantity(f"Quantity {quantity} is more than {MAX_QUANTITY} — check the amount")
    return quantity


class Basket:
    """`pricing` is the store's rules when the basket was started (none: no tax set up)."""

    def __init__(self, currency: str, pricing: PricingRules | None = None) -> None:
        self.currency = currency
        self.pricing = pricing or PricingRules()
        self.lines: list[BasketLine] = []
        self.sale_id = ""  # set once an override must name the sale before it completes
        self.overrides: list[Any] = []  # OverrideRecorded to journal with the sale
        self.customer_id = ""  # the customer attached (till.customers); kept when parked

    def add(self, product: Product, quantity: int = 1) -> BasketLine:
        """Add a product; scanning a product already in the basket raises that line's quantity."""
        check_quantity(quantity)
        if product.price.currency != self.currency:
            raise SaleError(f"{product.name} is priced in {product.price.currency}, "
                                  f"this till sells in {self.currency}")
        try:  # refused here, so the totals never fail later
            self.pricing.rate_for(product.tax_class)
        except PricingError as exc:
            raise SaleError(f"{product.name} cannot be sold yet: {exc}") from None
        for line in self.lines:
            if line.product.product_id == product.product_id and line.price_override is None:
                line.quantity = check_quantity(line.quantity + quantity)
                return line
        line = BasketLine(product, quantity)
        self.lines.append(line)
        return line

    def line(self, line_no: int) -> BasketLine:
        """Lines are numbered from 1, as printed on the receipt."""
        if not 1 <= line_no <= len(self.lines):
            raise InvalidQuantity(f"There is no line {line_no}")
        return self.lines[line_no - 1]

    def set_quantity(self, line_no: int, quantity: int) -> None:
        line = self.line(line_no)
        line.quantity = check_quantity(quantity)

    def remove_line(self, line_no: int) -> BasketLine:
        line = self.line(line_no)
        self.lines.remove(line)
        return line

    def priced(self) -> PricedBasket:
        return price_lines(self.lines, self.pricing)

    @property
    def total(self) -> Money:
        """What the goods cost including tax, before any cash rounding."""
        return Money(self.priced().gross_minor, self.currency)

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    def is_empty(self) -> bool:
        return not self.lines

    def clear(self) -> None:
        self.lines.clear()
        self.overrides.clear()


def price_lines(lines: list[BasketLine], pricing: PricingRules) -> PricedBasket:
    """Discounts are per-unit price overrides here, so each line's amount is already after them."""
    return price_basket([LineInput(ln.total.minor, ln.product.tax_class) for ln in lines], pricing)
