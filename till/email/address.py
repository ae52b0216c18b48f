"""Checking an email address typed at the counter, before anything is queued.

Deliberately plain: one @, a dot-atom local part and a dotted domain of DNS labels, no spaces or
line breaks (which also keeps header injection out). Whether the mailbox exists is the mail
server's business; a typo like "ann@gmail" or "ann.gmail.com" is caught here, on screen.
"""

from __future__ import annotations

import re

MAX_LENGTH = 254  # RFC 5321 path limit less the angle brackets
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
EXAMPLE = "e.g. ann@example.com"


class InvalidAddress(ValueError):
    """Said to the cashier as it is; nothing was queued."""


def check_address(text: str) -> str:
    """The address to send to (domain lower-cased, in DNS form); InvalidAddress says what is wrong."""
    address = text.strip()
    if not address:
        raise InvalidAddress(f"Type the customer's email address, {EXAMPLE}")
    if any(ch.isspace() for ch in address) or address.count("@") != 1:
        raise InvalidAddress(f"“{address}” is not an email address — it needs exactly one @ and "
                             f"no spaces, {EXAMPLE}")
    local, domain = address.split("@")
    if len(address) > MAX_LENGTH:
        raise InvalidAddress(f"That address is longer than {MAX_LENGTH} characters — check it")
    if not _LOCAL.match(local):
        raise InvalidAddress(f"“{address}”: the part before @ is not valid — check the spelling, "
                             f"{EXAMPLE}")
    ascii_domain = _ascii_domain(domain)
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels) \
            or labels[-1].isdigit():
        raise InvalidAddress(f"“{address}”: “{domain}” is not a mail domain — it looks like "
                             f"example.com, {EXAMPLE}")
    return f"{local}@{ascii_domain.lower()}"  # the DNS form: every SMTP server takes it


def _ascii_domain(domain: str) -> str:
    """An international domain (müller.de) checked in its DNS form (xn--mller-kva.de)."""
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return "?"
