"""Telling a gift card from a product when it is scanned (or typed) into the sale's scan field.

A card number is 16 digits (shared.gift_cards). No product barcode the till reads is that long —
GTINs have 8, 12, 13 or 14 digits — so a 16-digit code the catalogue does not know is a card, or
a card mistyped; anything else stays a product code.
"""

from __future__ import annotations

import re

from shared.gift_cards import CARD_DIGITS

# An ISO/IEC 15424 symbology identifier a scanner may put first, e.g. "]C0" for a credit note's
# CODE128, and the spaces/dashes a card prints its number with.
_AIM_PREFIX = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
_SEPARATORS = re.compile(r"[\s\-]")


def card_shaped(text: str) -> str | None:
    """The 16 digits of a code shaped like a card number (check digit not yet checked), else None."""
    digits = _SEPARATORS.sub("", _AIM_PREFIX.sub("", (text or "").strip()))
    return digits if len(digits) == CARD_DIGITS and digits.isdigit() else None
