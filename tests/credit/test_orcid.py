import pytest
from django.core.exceptions import ValidationError

from credit import orcid


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("https://orcid.org/0000-0001-5109-3700", "0000-0001-5109-3700"),
        ("0000000218250097", "0000-0002-1825-0097"),
        (" 0000-0002-1694-233x ", "0000-0002-1694-233X"),  # a check character of 10 is written X
    ],
)
def test_normalize_accepts_valid_ids_in_the_forms_people_type(typed, stored):
    assert orcid.normalize(typed) == stored


@pytest.mark.parametrize("typed", ["0000-0002-1825-0098", "0000-0002-1694-2330", "0000-0001-5109-370X"])
def test_normalize_refuses_a_wrong_check_character(typed):
    with pytest.raises(ValidationError) as error:
        orcid.normalize(typed)
    assert error.value.code == "orcid_checksum"


@pytest.mark.parametrize(
    "typed", ["", "1234", "0000-0002-1825-009", "abcd-0002-1825-0097", "https://example.org/0000-0002-1825-0097"]
)
def test_normalize_refuses_what_is_not_an_orcid_id(typed):
    with pytest.raises(ValidationError) as error:
        orcid.normalize(typed)
    assert error.value.code == "orcid_format"


def test_check_character_is_iso_7064_mod_11_2():
    assert orcid.check_character("000000021825009") == "7"
    assert orcid.check_character("000000021694233") == "X"
