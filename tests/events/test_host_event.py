from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from activity.models import ActivityLog
from events import services
from events.models import HostEvent
from tests.events.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def neurips(organizer):
    return services.save_host_event(
        actor=organizer,
        name="NeurIPS 2021",
        start=date(2021, 12, 6),
        end=date(2021, 12, 14),
        place="Online",
        url="https://neurips.cc/Conferences/2021",
    )


def test_an_organizer_creates_a_host_event_and_it_is_logged(organizer, neurips):
    assert HostEvent.objects.get() == neurips
    assert list(ActivityLog.objects.values_list("action", "note")) == [("events.host_event.created", "NeurIPS 2021")]


def test_a_host_event_refuses_bad_dates_and_other_people(organizer):
    with pytest.raises(ValidationError):
        services.save_host_event(actor=organizer, name="Backwards", start=date(2021, 5, 2), end=date(2021, 5, 1))
    with pytest.raises(PermissionDenied):
        services.save_host_event(actor=UserFactory(), name="Mine")
    assert not HostEvent.objects.exists()


def test_the_event_page_and_calendar_entry_name_the_host(client, neurips):
    first = EventFactory(title="Social", colocated_with=neurips)
    second = EventFactory(title="Poster session", colocated_with=neurips)  # several share one host
    assert set(neurips.colocated_events.all()) == {first, second}
    page = client.get(first.get_absolute_url()).content.decode()
    assert '<a href="https://neurips.cc/Conferences/2021">NeurIPS 2021</a>' in page
    assert "6 Dec 2021 – 14 Dec 2021 · Online" in page
    ics = client.get(reverse("events:ics", args=[first.slug])).content.decode().replace("\r\n ", "")
    assert "Co-located with NeurIPS 2021 (06 Dec 2021–14 Dec 2021\\, Online) https://neurips.cc/Conferences/2021" in ics
    listing = client.get(reverse("events:list")).content.decode()
    assert listing.count("co-located with NeurIPS 2021") == 2


def test_the_api_gives_the_host_as_an_object(client, neurips):
    event = EventFactory(colocated_with=neurips)
    data = client.get(f"/api/v1/events/{event.slug}/").json()
    assert data["colocated_with"] == {
        "name": "NeurIPS 2021",
        "start": "2021-12-06",
        "end": "2021-12-14",
        "place": "Online",
        "url": "https://neurips.cc/Conferences/2021",
    }


def test_organizers_add_a_host_on_their_page_and_others_are_refused(client, organizer):
    url = reverse("events:hosts")
    client.force_login(UserFactory())
    assert client.post(url, {"name": "ACL 2022"}).status_code == 403
    client.force_login(organizer)
    response = client.post(url, {"name": "ACL 2022", "start": "2022-05-22", "end": "2022-05-27", "place": "Dublin"})
    assert response.status_code == 302
    assert HostEvent.objects.get().place == "Dublin"
    response = client.post(url, {"name": "Bad", "start": "2022-05-22", "end": "2022-05-01"})
    assert response.status_code == 200 and "The last day cannot come before the first." in response.content.decode()
    assert client.post(url, {"name": "ACL 2022"}).status_code == 200  # the name is taken
    assert HostEvent.objects.count() == 1
    page = client.get(url).content.decode()
    assert "ACL 2022" in page and "22 May 2022 – 27 May 2022" in page
