"""Money as integer minor units with an ISO 4217 currency. Never floats."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Minor-unit exponents for the currencies we sell in; anything else must be added on purpose.
CURRENCY_EXPONENTS: dict[str, int] = {
    "EUR": 2, "GBP": 2, "USD": 2, "CHF": 2, "SEK": 2, "NOK": 2, "DKK": 2,
    "PLN": 2, "CAD": 2, "AUD": 2, "JPY": 0, "KWD": 3,
}
CURRENCY_SYMBOLS: dict[str, str] = {"EUR": "€", "GBP": "£", "USD": "$", "JPY": "¥"}


class MoneyError(ValueError):
    """Invalid amount, currency mismatch or unknown currency."""


def exponent(currency: str) -> int:
    try:
        return CURRENCY_EXPONENTS[currency]
    except KeyError:
        raise MoneyError(f"unknown currency {currency!r}") from None


def div_round_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounding halves away from zero (the shop-floor convention)."""
    if denominator == 0:
        raise ZeroDivisionError("denominator is zero")
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    q, r = divmod(abs(numerator), denominator)
    if 2 * r >= denominator:
        q += 1
    return q if numerator >= 0 else -q


@dataclass(frozen=True, slots=True, order=False)
class Money:
    minor: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.minor, int) or isinstance(self.minor, bool):
            raise MoneyError(f"money must be integer minor units, got {self.minor!r}")
        exponent(self.currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @classmethod
    def parse(cls, text: str, currency: str) -> Money:
        """Parse a decimal string such as '12.5' exactly; refuses more decimals than the currency has."""
        exp = exponent(currency)
        try:
            value = Decimal(text.strip().replace(",", "."))
        except InvalidOperation:
            raise MoneyError(f"not an amount: {text!r}") from None
        if not value.is_finite():
            raise MoneyError(f"not an amount: {text!r}")
        scaled = value.scaleb(exp)
        if scaled != scaled.to_integral_value():
            raise MoneyError(f"{text!r} has more than {exp} decimals for {currency}")
        return cls(int(scaled), currency)

    def _check(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise MoneyError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise MoneyError(f"currency mismatch: {self.currency} vs {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __mul__(self, quantity: int) -> Money:
        if not isinstance(quantity, int) or isinstance(quantity, bool):
            raise MoneyError("multiply money by an integer quantity; use .scaled() for ratios")
        return Money(self.minor * quantity, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        self._check(other)
        return self.minor < other.minor

    def __le__(self, other: Money) -> bool:
        self._check(other)
        return self.minor <= other.minor

    def scaled(self, numerator: int, denominator: int) -> Money:
        """self * numerator / denominator, rounded half away from zero to the minor unit."""
        return Money(div_round_half_up(self.minor * numerator, denominator), self.currency)

    def percent(self, basis_points: int) -> Money:
        """A percentage given in basis points (1250 = 12.5 %), rounded to the minor unit."""
        return self.scaled(basis_points, 10_000)

    def allocate(self, weights: list[int]) -> list[Money]:
        """Split into parts proportional to weights; parts always sum to self exactly."""
        if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
            raise MoneyError("allocate needs non-negative weights with a positive sum")
        total = sum(weights)
        parts = [self.minor * w // total for w in weights]
        remainder = self.minor - sum(parts)
        for i in range(remainder):
            parts[i % len(parts)] += 1
        return [Money(p, self.currency) for p in parts]

    def round_to(self, step_minor: int) -> Money:
        """Cash rounding to a step (e.g. 5 for 0.05), halves away from zero."""
        if step_minor <= 0:
            raise MoneyError("rounding step must be positive")
        return Money(div_round_half_up(self.minor, step_minor) * step_minor, self.currency)

    def to_decimal_str(self) -> str:
        exp = exponent(self.currency)
        sign = "-" if self.minor < 0 else ""
        units, cents = divmod(abs(self.minor), 10**exp) if exp else (abs(self.minor), 0)
        return f"{sign}{units}.{cents:0{exp}d}" if exp else f"{sign}{units}"

    def format(self) -> str:
        symbol = CURRENCY_SYMBOLS.get(self.currency)
        text = self.to_decimal_str()
        if symbol is None:
            return f"{text} {self.currency}"
        return f"-{symbol}{text[1:]}" if text.startswith("-") else f"{symbol}{text}"

    def __str__(self) -> str:
        return self.format()
