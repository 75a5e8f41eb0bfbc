"""ORCID iDs: parsing and the ISO 7064 MOD 11-2 check character."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PATTERN = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
_INPUT = re.compile(r"^(?:https?://(?:www\.)?orcid\.org/)?(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dXx])/?$")


def check_character(base_digits: str) -> str:
    """The check character of the first 15 digits (ISO 7064 11,2)."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalize(value: str) -> str:
    """``0000-0002-1825-0097`` from what a person types (with or without the https://orcid.org/ prefix).

    Raises ValidationError for anything that is not a well-formed iD with the right check character.
    """
    match = _INPUT.match((value or "").strip())
    if not match:
        raise ValidationError(
            _("An ORCID iD has 16 characters in four groups, like 0000-0002-1825-0097."), code="orcid_format"
        )
    groups = [g.upper() for g in match.groups()]
    digits = "".join(groups)
    if check_character(digits[:15]) != digits[15]:
        raise ValidationError(
            _("This ORCID iD's last character does not match the others: please check it for a typo."),
            code="orcid_checksum",
        )
    return "-".join(groups)


def url(orcid: str) -> str:
    return f"https://orcid.org/{orcid}" if orcid else ""
