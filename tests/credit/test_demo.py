import bibtexparser
import pytest
from django.core.management import call_command

from credit import exports, selectors
from credit.models import Contributor, Output
from roles.models import Participation

pytestmark = pytest.mark.django_db


def _rows():
    return (
        set(Output.objects.values_list("slug", "title", "is_public")),
        set(Contributor.objects.values_list("output__slug", "position", "user_id", "name", "state")),
    )


def test_demo_holds_outputs_and_a_paper_by_a_few_hundred_group_members_and_loads_twice_the_same():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _rows()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _rows() == first
    assert {slug for slug, _title, _public in first[0]} == {
        "bloom-paper",
        "roots-corpus",
        "bloom-model",
        "promptsource",
        "multilingual-prompting-draft",
    }
    paper = Output.objects.get(slug="bloom-paper")
    people = set(paper.contributors.exclude(user=None).values_list("user_id", flat=True))
    assert len(people) >= 250
    members = set(
        Participation.objects.filter(working_group__in=paper.working_groups.all()).values_list("user_id", flat=True)
    )
    assert people - members == {Output.objects.get(slug="bloom-paper").created_by_id}  # the organizer chairs none
    entries = selectors.contributors_of(paper)
    (entry,) = bibtexparser.parse_string(exports.bibtex(paper, entries)).entries
    assert entry["author"].count(" and ") == len(entries) - 1
    assert Contributor.objects.filter(user__email="attendant@example.org", state="pending").exists()
