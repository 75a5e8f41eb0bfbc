from datetime import UTC, datetime

import pytest

from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_visitor_sees_times_in_the_zone_of_the_url_encoded_cookie(client):
    # site.js writes encodeURIComponent(zone): "America/New_York" arrives as "America%2FNew_York".
    event = EventFactory(start=datetime(2031, 7, 30, 13, tzinfo=UTC), end=datetime(2031, 7, 30, 17, tzinfo=UTC))
    client.cookies["tz"] = "America%2FNew_York"
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Times are shown in <strong>America/New_York</strong>" in page
    assert "09:00</time>" in page


@pytest.mark.parametrize("cookie", ["Mars%2FOlympus", "%", "..%2F..%2Fetc%2Fpasswd"])
def test_an_unknown_or_malformed_zone_cookie_falls_back_to_utc(client, cookie):
    event = EventFactory(start=datetime(2031, 7, 30, 13, tzinfo=UTC), end=datetime(2031, 7, 30, 17, tzinfo=UTC))
    client.cookies["tz"] = cookie
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert "Times are shown in <strong>UTC</strong>" in response.content.decode()
