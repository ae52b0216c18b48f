"""GTIN barcodes (EAN-13, EAN-8, UPC-A, GTIN-14): check digits and validation."""

from __future__ import annotations

GTIN_LENGTHS = (8, 12, 13, 14)


class BarcodeError(ValueError):
    pass


def gtin_check_digit(body: str) -> int:
    """Check digit for a GTIN body (all digits but the last), per GS1 General Specifications 7.9."""
    if not body.isdigit():
        raise BarcodeError(f"GTIN body must be digits: {body!r}")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_valid_gtin(code: str) -> bool:
    return (
        code.isdigit() and len(code) in GTIN_LENGTHS
        and gtin_check_digit(code[:-1]) == int(code[-1])
    )


def validate_gtin(code: str) -> str:
    """Return the code stripped, or raise a BarcodeError saying what is wrong."""
    code = code.strip()
    if not code.isdigit():
        raise BarcodeError(f"barcode {code!r} has characters other than digits")
    if len(code) not in GTIN_LENGTHS:
        raise BarcodeError(f"barcode {code!r} has {len(code)} digits; GTINs have 8, 12, 13 or 14")
    if gtin_check_digit(code[:-1]) != int(code[-1]):
        raise BarcodeError(f"barcode {code!r} has a wrong check digit")
    return code


def make_ean13(body12: str) -> str:
    if len(body12) != 12:
        raise BarcodeError("an EAN-13 body has 12 digits")
    return body12 + str(gtin_check_digit(body12))
