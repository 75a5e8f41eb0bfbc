import pytest

from activity.models import ActivityLog
from tests.factories import WorkingGroupFactory
from working_groups import services
from working_groups.models import WorkingGroup

pytestmark = pytest.mark.django_db


def test_a_new_group_without_an_address_gets_one_from_its_name(client, organizer):
    WorkingGroupFactory(name="Other", slug="multilingual-data")
    client.force_login(organizer)
    page = client.get("/groups/new/").content.decode()
    assert "Leave it empty to make one from the name." in page
    response = client.post(
        "/groups/new/", {"name": "Multilingual Data", "slug": "", "short_description": "Corpora.", "links": ""}
    )
    assert response.status_code == 302 and response.url == "/groups/multilingual-data-2/manage/"
    group = WorkingGroup.objects.get(name="Multilingual Data")
    assert group.slug == "multilingual-data-2"
    assert list(ActivityLog.objects.filter(working_group=group).values_list("action", flat=True)) == [
        "working_groups.group.created"
    ]


def test_a_taken_address_typed_by_hand_is_refused_and_nothing_is_created(client, organizer):
    WorkingGroupFactory(name="Other", slug="bio")
    client.force_login(organizer)
    response = client.post("/groups/new/", {"name": "Bio", "slug": "bio", "short_description": "x", "links": ""})
    assert response.status_code == 200
    assert "Another group has this address already." in response.content.decode()
    assert WorkingGroup.objects.filter(name="Bio").count() == 0


def test_the_service_makes_an_address_too(organizer):
    group = services.create_group(actor=organizer, name="Évaluation & Métriques", short_description="x")
    assert group.slug == "evaluation-metriques"
