"""Tax and cash rounding, as pure integer arithmetic in minor units (the till and HQ agree on it).

Rules, each chosen once here:

* Tax is worked out **per line** and rounded to the currency's minor unit, halves away from zero
  (`div_round_half_up`). A class's figures on the receipt are sums of its lines, so the breakdown
  always adds up to the total exactly.
* Tax-inclusive prices (shelf price = gross): tax = gross x rate / (1 + rate), net = gross - tax,
  so the customer pays exactly the shelf prices. Tax-exclusive prices (shelf price = net):
  tax = net x rate, gross = net + tax.
* Discounts come off a line's amount **before** tax, in both modes. A basket discount is shared
  over the lines in proportion to their amounts (largest remainders first, so it is spent to the
  cent) and then treated like line discounts.
* Cash rounding (Swiss/Nordic 0.05, Canadian 0.05, ...) applies to the amount paid in cash only,
  to the nearest multiple of the store's step, halves up (away from zero). The adjustment is its own
  figure, never hidden in a line or in the tax.
* Rates are integer basis points (2000 = 20 %); no float is taken or returned anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .gift_cards import NOT_TAXED
from .money import div_round_half_up

BP = 10_000  # basis points in 100 %
MAX_RATE_BP = BP  # a sales tax above 100 % is a typo, not a rate
MAX_ROUNDING_STEP = 10_000  # 100.00 in a 2-decimal currency: any larger step is a typo


class PricingError(ValueError):
    """Bad pricing input (unknown tax class, negative amount, ...): the message says what to fix."""


def _require_int(name: str, value: object, minimum: int = 0, maximum: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise PricingError(f"{name} must be a whole number of minor units or basis points, "
                           f"got {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise PricingError(f"{name} must be {bound}, got {value}")
    return value


@dataclass(frozen=True, slots=True)
class TaxRate:
    tax_class: str
    rate_bp: int
    name: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.tax_class, str) or not self.tax_class.strip():
            raise PricingError("a tax rate needs a tax class name")
        _require_int(f"tax rate of {self.tax_class!r}", self.rate_bp, 0, MAX_RATE_BP)


@dataclass(frozen=True, slots=True)
class PricingRules:
    """A store's settings. No rates at all means tax is not set up: every line carries 0 %."""

    prices_include_tax: bool = True
    rates: Mapping[str, TaxRate] = field(default_factory=dict)
    cash_rounding_minor: int = 1  # 1 = no cash rounding

    def __post_init__(self) -> None:
        _require_int("cash rounding step", self.cash_rounding_minor, 1, MAX_ROUNDING_STEP)

    @classmethod
    def of(cls, rates: Sequence[TaxRate] = (), *, prices_include_tax: bool = True,
           cash_rounding_minor: int = 1) -> PricingRules:
        return cls(prices_include_tax, {r.tax_class: r for r in rates}, cash_rounding_minor)

    @property
    def taxed(self) -> bool:
        return bool(self.rates)

    def rate_for(self, tax_class: str) -> TaxRate:
        if tax_class == NOT_TAXED:  # a gift card load is money kept for later, not a supply
            return TaxRate(NOT_TAXED, 0, "Not taxed")
        if not self.rates:
            return TaxRate(tax_class or "standard", 0)
        rate = self.rates.get(tax_class)
        if rate is None:
            known = ", ".join(sorted(self.rates))
            raise PricingError(f"this store has no tax rate for tax class {tax_class!r} "
                               f"(it has {known}) — ask HQ to set one")
        return rate


@dataclass(frozen=True, slots=True)
class LineTax:
    net_minor: int
    tax_minor: int
    gross_minor: int


def line_tax(amount_minor: int, rate_bp: int, *, prices_include_tax: bool) -> LineTax:
    """One line's net, tax and gross from its (discounted) amount, tax rounded to the minor unit."""
    _require_int("line amount", amount_minor)
    _require_int("tax rate", rate_bp, 0, MAX_RATE_BP)
    if prices_include_tax:
        tax = div_round_half_up(amount_minor * rate_bp, BP + rate_bp)
        return LineTax(amount_minor - tax, tax, amount_minor)
    tax = div_round_half_up(amount_minor * rate_bp, BP)
    return LineTax(amount_minor, tax, amount_minor + tax)


@dataclass(frozen=True, slots=True)
class LineInput:
    amount_minor: int  # unit price x quantity, as shelf-priced (gross or net per the store)
    tax_class: str = "standard"
    discount_minor: int = 0  # taken off before tax


@dataclass(frozen=True, slots=True)
class PricedLine:
    tax_class: str
    rate_bp: int
    amount_minor: int  # after discounts, as priced (what the line shows)
    discount_minor: int
    net_minor: int
    tax_minor: int
    gross_minor: int


@dataclass(frozen=True, slots=True)
class TaxBreakdown:
    tax_class: str
    rate_bp: int
    name: str
    net_minor: int
    tax_minor: int
    gross_minor: int


@dataclass(frozen=True, slots=True)
class PricedBasket:
    lines: tuple[PricedLine, ...]
    breakdown: tuple[TaxBreakdown, ...]  # one row per tax class, in the order first sold
    net_minor: int
    tax_minor: int
    gross_minor: int  # what the customer owes before any cash rounding
    prices_include_tax: bool
    taxed: bool  # False when the store has no tax set up (the receipt then shows no tax block)

    @property
    def amount_minor(self) -> int:
        """Sum of the lines as they show (net in an exclusive store, gross in an inclusive one)."""
        return sum(line.amount_minor for line in self.lines)


def share_discount(discount_minor: int, amounts: Sequence[int]) -> list[int]:
    """Split a basket discount over lines in proportion to their amounts, exactly to the cent."""
    _require_int("basket discount", discount_minor)
    total = sum(amounts)
    if discount_minor > total:
        raise PricingError(f"the discount ({discount_minor}) is more than the basket ({total})")
    if discount_minor == 0:
        return [0] * len(amounts)
    exact = [(discount_minor * a, i) for i, a in enumerate(amounts)]
    parts = [q // total for q, _ in exact]
    # Largest remainders get the leftover minor units (ties: earlier line first).
    order = sorted(range(len(amounts)), key=lambda i: (-(exact[i][0] % total), i))
    for i in order[:discount_minor - sum(parts)]:
        parts[i] += 1
    return parts


def price_basket(lines: Sequence[LineInput], rules: PricingRules,
                 basket_discount_minor: int = 0) -> PricedBasket:
    """Price every line (discounts first, then tax per line) and add up per tax class."""
    for n, line in enumerate(lines, start=1):
        _require_int(f"line {n} amount", line.amount_minor)
        _require_int(f"line {n} discount", line.discount_minor)
        if line.discount_minor > line.amount_minor:
            raise PricingError(f"line {n}: the discount is more than the line")
    after_line = [ln.amount_minor - ln.discount_minor for ln in lines]
    shares = share_discount(basket_discount_minor, after_line)
    priced = []
    for line, amount, share in zip(lines, after_line, shares, strict=True):
        rate = rules.rate_for(line.tax_class)
        t = line_tax(amount - share, rate.rate_bp, prices_include_tax=rules.prices_include_tax)
        priced.append(PricedLine(rate.tax_class, rate.rate_bp, amount - share,
                                 line.discount_minor + share, t.net_minor, t.tax_minor,
                                 t.gross_minor))
    return PricedBasket(tuple(priced), _breakdown(priced, rules),
                        sum(p.net_minor for p in priced), sum(p.tax_minor for p in priced),
                        sum(p.gross_minor for p in priced), rules.prices_include_tax, rules.taxed)


def _breakdown(lines: Sequence[PricedLine], rules: PricingRules) -> tuple[TaxBreakdown, ...]:
    sums: dict[str, list[int]] = {}
    for line in lines:
        row = sums.setdefault(line.tax_class, [line.rate_bp, 0, 0, 0])
        row[1] += line.net_minor
        row[2] += line.tax_minor
        row[3] += line.gross_minor
    names = {NOT_TAXED: "Not taxed", **{c: r.name for c, r in rules.rates.items()}}
    return tuple(TaxBreakdown(c, rate, names.get(c, ""), net, tax, gross)
                 for c, (rate, net, tax, gross) in sums.items())


@dataclass(frozen=True, slots=True)
class CashRounding:
    due_minor: int  # what cash settles: a multiple of the step
    adjustment_minor: int  # due - exact (negative when rounded down)


def cash_round(amount_minor: int, step_minor: int) -> CashRounding:
    """Round an amount to be paid in cash to the nearest multiple of `step_minor`, halves up."""
    _require_int("amount", amount_minor, minimum=-(10**18))
    _require_int("cash rounding step", step_minor, 1, MAX_ROUNDING_STEP)
    due = div_round_half_up(amount_minor, step_minor) * step_minor
    return CashRounding(due, due - amount_minor)


def format_rate(rate_bp: int) -> str:
    """2000 -> '20%', 550 -> '5.5%', 775 -> '7.75%' (exact: basis points are hundredths)."""
    units, hundredths = divmod(_require_int("tax rate", rate_bp, 0, MAX_RATE_BP), 100)
    return f"{units}%" if not hundredths else f"{units}.{hundredths:02d}".rstrip("0") + "%"
