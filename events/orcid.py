"""ORCID iDs: sixteen characters whose last one is an ISO 7064 MOD 11-2 check digit."""

import re

from django.utils.translation import gettext_lazy as _

ORCID_ERROR = _("This is not a valid ORCID iD: expected 0000-0000-0000-000X with a correct check digit.")
_SHAPE = re.compile(r"^(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$")


def check_digit(base: str) -> str:
    """The ISO 7064 11-2 check character of the first fifteen digits."""
    total = 0
    for digit in base:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalise_orcid(value: str) -> str | None:
    """``0000-0002-1825-0097`` from an iD typed with or without hyphens or the orcid.org prefix;
    None when the shape or the check digit is wrong."""
    value = (value or "").strip().upper()
    for prefix in ("HTTPS://ORCID.ORG/", "HTTP://ORCID.ORG/", "ORCID.ORG/"):
        if value.startswith(prefix):
            value = value[len(prefix) :]
    match = _SHAPE.match(value)
    if not match:
        return None
    digits = "".join(match.groups())
    if check_digit(digits[:15]) != digits[15]:
        return None
    return "-".join(match.groups())
