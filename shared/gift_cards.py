"""Gift cards and store credit: card numbers, and the balance as a counter (merge rule 8's kind).

A card's balance is the sum of its postings (GiftCardPosted: load, redeem, refund, ...), so tills
that took the same card offline merge by adding, whatever order their pushes reach HQ in. Facts
are never refused (rule 1): a redeem that leaves a card below zero is applied and surfaced once.

Card numbers are 16 digits whose last is a Luhn check digit (as payment cards), so a mistyped
digit is caught at the till. Store credit is a card too: a new number per credit note ("99..."),
or one account per customer ("98...", derived from the customer id so every till, offline, names
the same account without asking HQ).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Sequence

CARD_DIGITS = 16
STORE_CREDIT_PREFIX = "99"  # a credit note the till printed for a return
CUSTOMER_CREDIT_PREFIX = "98"  # a customer's store-credit account
# The sale line a gift card load is sold on: not a catalogue product, never stock, never taxed.
GIFT_CARD_PRODUCT_ID = "00000000-0000-7000-8000-00000000c4d0"
NOT_TAXED = "not_taxed"  # its tax class (shared.pricing gives it 0 %)
_SEPARATORS = re.compile(r"[\s\-]")


class CardNumberError(ValueError):
    """Said to the cashier as it is."""


def luhn_check_digit(body: str) -> str:
    """The digit that makes `body` + it pass the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def parse_card_number(text: str) -> str:
    """A typed or scanned card number as 16 digits (spaces and dashes dropped), or a clear refusal."""
    digits = _SEPARATORS.sub("", text or "")
    if not digits:
        raise CardNumberError("Scan the gift card or type its number")
    if not digits.isdigit():
        raise CardNumberError(f"A gift card number is digits only — “{text.strip()}” is not one")
    if len(digits) != CARD_DIGITS:
        raise CardNumberError(f"A gift card number has {CARD_DIGITS} digits — "
                              f"{len(digits)} typed, check the number")
    if luhn_check_digit(digits[:-1]) != digits[-1]:
        raise CardNumberError("That gift card number does not check out (a digit is wrong) — "
                              "type it again or scan it")
    return digits


def is_card_number(text: str) -> bool:
    try:
        parse_card_number(text)
    except CardNumberError:
        return False
    return True


def mask(number: str, dot: str = "•") -> str:
    """What a screen or a receipt shows of a card: its last four digits ("••••1234")."""
    return dot * 4 + number[-4:]


def _with_check_digit(body: str) -> str:
    return body + luhn_check_digit(body)


def new_store_credit_number() -> str:
    """A fresh credit-note number; 13 random digits make two tills' numbers collide ~never."""
    return _with_check_digit(STORE_CREDIT_PREFIX + f"{secrets.randbelow(10 ** 13):013d}")


def customer_credit_number(customer_id: str) -> str:
    """The customer's store-credit account: the same number at every till, online or not."""
    digest = int.from_bytes(hashlib.sha256(customer_id.encode()).digest()[:8], "big")
    return _with_check_digit(CUSTOMER_CREDIT_PREFIX + f"{digest % 10 ** 13:013d}")


def is_gift_card_line(product_id: str) -> bool:
    return product_id == GIFT_CARD_PRODUCT_ID


# Merge: the balance is a counter.


def card_balance(deltas: Iterable[int]) -> int:
    """The sum of a card's postings, in any order."""
    return sum(deltas)


def postings_taking_below_zero(balance_before: int, deltas: Sequence[int]) -> list[int]:
    """The indexes of the postings that take the card from zero or above to below zero.

    Each raises one exception: a card overdrawn by two tills offline is one problem to look at,
    not two; a later posting that leaves it further below zero adds nothing new, and a card put
    back above zero and overdrawn again is a new problem.
    """
    flagged, balance = [], balance_before
    for index, delta in enumerate(deltas):
        after = balance + delta
        if balance >= 0 > after:
            flagged.append(index)
        balance = after
    return flagged


def known_balance(hq_balance: int, own_deltas_since: Iterable[int]) -> int:
    """What a till may take from a card: HQ's last balance plus its own postings HQ had not
    counted when it sent it (other tills' recent spending is what the exception is for)."""
    return hq_balance + sum(own_deltas_since)
