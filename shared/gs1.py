"""Scanned codes made canonical: EAN/UPC/GTIN-14 and GS1 element strings (AIs 01, 10, 17, 3102).

Pure: standard library only. References are to the GS1 General Specifications (GenSpecs) and
ISO/IEC 15424 (symbology identifiers). Every GTIN comes out as 14 digits (zero-padded) so the
catalogue can look it up whatever symbol carried it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from .barcodes import BarcodeError, gtin_check_digit

GS = "\x1d"  # FNC1 as transmitted inside an element string (GenSpecs 7.8.4)
GS1_IDENTIFIERS = {"]C1": "gs1-128", "]d2": "gs1-datamatrix", "]Q3": "gs1-qr", "]e0": "gs1-databar"}
LINEAR_IDENTIFIERS = {"]E0": "ean13", "]E4": "ean8"}  # ]E0 also carries UPC-A and UPC-E
FIXED_LENGTH = {"01": 14, "17": 6, "3102": 6}
VARIABLE_MAX = {"10": 20}


class Gs1Error(BarcodeError):
    """The scanned text is not a code we can read; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class Gs1Data:
    gtin: str | None = None
    batch: str | None = None
    expiry: date | None = None
    net_weight_g: int | None = None


@dataclass(frozen=True, slots=True)
class ScannedCode:
    symbology: str  # ean13, ean8, upca, upce, gtin14, or a gs1-* name
    gtin: str | None  # 14 digits
    raw: str
    gs1: Gs1Data | None = None


def expand_upce(code: str) -> str:
    """UPC-E (8 digits: number system 0/1, six data digits, check) to its 12-digit UPC-A.

    Six or seven digits are accepted too (number system 0 implied; check digit computed)."""
    if not code.isdigit() or len(code) not in (6, 7, 8):
        raise Gs1Error(f"UPC-E {code!r} must be 6, 7 or 8 digits")
    if len(code) == 6:
        code = "0" + code
    ns, d = code[0], code[1:7]
    if ns not in "01":
        raise Gs1Error(f"UPC-E {code!r} has number system {ns}; only 0 and 1 exist")
    last = d[5]
    if last in "012":
        body = d[0:2] + last + "0000" + d[2:5]
    elif last == "3":
        body = d[0:3] + "00000" + d[3:5]
    elif last == "4":
        body = d[0:4] + "00000" + d[4]
    else:
        body = d[0:5] + "0000" + last
    upca = ns + body + str(gtin_check_digit(ns + body))
    if len(code) == 8 and code[7] != upca[-1]:
        raise Gs1Error(f"UPC-E {code!r} has a wrong check digit (expected {upca[-1]})")
    return upca


def normalise(raw: str, *, today: date | None = None) -> ScannedCode:
    """Read what a scanner sent (terminator already removed) as a GTIN or a GS1 element string."""
    text = raw.strip("\r\n\t ")
    if not text:
        raise Gs1Error("empty scan")
    prefix = text[:3]
    if prefix in GS1_IDENTIFIERS:
        return _gs1(raw, GS1_IDENTIFIERS[prefix], text[3:], today)
    hint = LINEAR_IDENTIFIERS.get(prefix)
    if hint:
        text = text[3:]
    elif text.startswith("]"):
        raise Gs1Error(f"symbology identifier {prefix!r} is not a GTIN or GS1 symbol")
    if text.startswith("(") or GS in text:
        return _gs1(raw, "gs1", text, today)
    if not text.isdigit():
        raise Gs1Error(f"scan {text!r} has characters other than digits")
    if len(text) > 14:
        return _gs1(raw, "gs1", text, today)
    return _gtin(raw, text, hint)


def _gtin(raw: str, digits: str, hint: str | None) -> ScannedCode:
    n = len(digits)
    # ]E0 with 8 digits is UPC-E by definition; unlabelled, an 8-digit code is EAN-8 unless its
    # check digit only works as UPC-E.
    if hint == "ean13" and n in (6, 7, 8) or (
            n == 8 and hint is None and digits[0] in "01" and not _check_ok(digits)):
        return ScannedCode("upce", expand_upce(digits).zfill(14), raw)
    names = {8: "ean8", 12: "upca", 13: "ean13", 14: "gtin14"}
    if n not in names:
        raise Gs1Error(f"barcode {digits!r} has {n} digits; GTINs have 8, 12, 13 or 14")
    if not _check_ok(digits):
        raise Gs1Error(f"barcode {digits!r} has a wrong check digit")
    return ScannedCode(names[n], digits.zfill(14), raw)


def _check_ok(digits: str) -> bool:
    return gtin_check_digit(digits[:-1]) == int(digits[-1])


def _gs1(raw: str, symbology: str, body: str, today: date | None) -> ScannedCode:
    data = parse_element_string(body, today=today)
    return ScannedCode(symbology, data.gtin, raw, data)


def parse_element_string(text: str, *, today: date | None = None) -> Gs1Data:
    """Parse `01…10…<GS>17…`, or the bracketed human-readable form `(01)…(10)…`.

    `today` anchors the two-digit expiry year (GenSpecs 7.12); it defaults to the real date."""
    fields = _bracketed(text) if text.startswith("(") else _concatenated(text.lstrip(GS))
    if not fields:
        raise Gs1Error("GS1 element string is empty")
    values: dict[str, object] = {}
    for ai, value in fields:
        if ai in values:
            raise Gs1Error(f"AI ({ai}) appears twice")
        values[ai] = _interpret(ai, value, today or date.today())
    return Gs1Data(gtin=values.get("01"), batch=values.get("10"),  # type: ignore[arg-type]
                   expiry=values.get("17"), net_weight_g=values.get("3102"))  # type: ignore[arg-type]


def _ai_at(text: str, pos: int) -> str:
    for ai in ("3102", "01", "10", "17"):
        if text.startswith(ai, pos):
            return ai
    raise Gs1Error(f"unsupported or malformed AI at {text[pos:pos + 4]!r} (position {pos})")


def _concatenated(text: str) -> list[tuple[str, str]]:
    fields, pos = [], 0
    while pos < len(text):
        ai = _ai_at(text, pos)
        pos += len(ai)
        if ai in FIXED_LENGTH:
            end = pos + FIXED_LENGTH[ai]
            if end > len(text):
                raise Gs1Error(f"AI ({ai}) needs {FIXED_LENGTH[ai]} characters, got {len(text) - pos}")
        else:
            end = text.find(GS, pos)
            end = len(text) if end < 0 else end
        fields.append((ai, text[pos:end]))
        pos = end + 1 if text[end:end + 1] == GS else end
    return fields


def _bracketed(text: str) -> list[tuple[str, str]]:
    parts = re.findall(r"\((\d{2,4})\)([^()]*)", text)
    if "".join(f"({a}){v}" for a, v in parts) != text:
        raise Gs1Error(f"malformed bracketed GS1 string {text!r}")
    for ai, _ in parts:
        if ai not in FIXED_LENGTH and ai not in VARIABLE_MAX:
            raise Gs1Error(f"unsupported AI ({ai})")
    return list(parts)


def _interpret(ai: str, value: str, today: date) -> object:
    if ai in FIXED_LENGTH and len(value) != FIXED_LENGTH[ai]:
        raise Gs1Error(f"AI ({ai}) needs {FIXED_LENGTH[ai]} digits, got {value!r}")
    if ai == "10":
        if not 1 <= len(value) <= VARIABLE_MAX[ai] or any(c < "!" or c > "z" for c in value):
            raise Gs1Error(f"AI (10) batch {value!r} must be 1–20 printable characters")
        return value
    if not value.isdigit():
        raise Gs1Error(f"AI ({ai}) must be digits, got {value!r}")
    if ai == "01":
        if not _check_ok(value):
            raise Gs1Error(f"AI (01) GTIN {value} has a wrong check digit")
        return value
    if ai == "17":
        return _expiry(value, today)
    return int(value) * 10  # 3102: kg with 2 decimals; 0.01 kg = 10 g


def _expiry(yymmdd: str, today: date) -> date:
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    if not 1 <= mm <= 12:
        raise Gs1Error(f"AI (17) {yymmdd}: month {mm:02d} does not exist")
    year = _century(yy, today.year)
    last = calendar.monthrange(year, mm)[1]
    if dd == 0:  # GenSpecs 3.4.6: day 00 means the last day of the month
        dd = last
    if dd > last:
        raise Gs1Error(f"AI (17) {yymmdd}: day {dd:02d} does not exist in {year}-{mm:02d}")
    return date(year, mm, dd)


def _century(yy: int, current_year: int) -> int:
    """GenSpecs 7.12: within 49 years back or 50 forward of the current year."""
    century, current_yy = divmod(current_year, 100)
    diff = yy - current_yy
    if 51 <= diff <= 99:
        century -= 1
    elif -99 <= diff <= -50:
        century += 1
    return century * 100 + yy
