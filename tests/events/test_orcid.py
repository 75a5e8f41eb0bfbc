import pytest
from django.core.exceptions import ValidationError

from events.orcid import normalise_orcid

from .factories import SpeakerFactory


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("https://orcid.org/0000-0001-5109-3700", "0000-0001-5109-3700"),
        ("000000021694233x", "0000-0002-1694-233X"),
    ],
)
def test_orcid_with_a_right_check_digit_is_kept_in_its_standard_form(typed, stored):
    assert normalise_orcid(typed) == stored


@pytest.mark.parametrize("typed", ["0000-0002-1825-0098", "0000-0002-1825", "abcd-0002-1825-0097", ""])
def test_orcid_with_a_wrong_check_digit_or_shape_is_refused(typed):
    assert normalise_orcid(typed) is None


@pytest.mark.django_db
def test_speaker_model_refuses_a_wrong_orcid():
    speaker = SpeakerFactory.build(orcid="0000-0002-1825-0098")
    with pytest.raises(ValidationError) as error:
        speaker.full_clean()
    assert "orcid" in error.value.message_dict
