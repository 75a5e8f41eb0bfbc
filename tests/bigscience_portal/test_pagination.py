"""News, the newsletter archive, the review queue and every history are paged, with a way to the oldest."""

import re

import pytest
from django.urls import reverse

from roles.models import AuditEntry
from tests.factories import IssueFactory, NewsPostFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


def _last_page_link(page: str) -> str:
    match = re.search(r'href="\?([^"]*)" rel="last"', page)
    assert match, "no link to the last page"
    return "?" + match.group(1).replace("&amp;", "&")


def test_news_pages_reach_the_oldest_post(client):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    for i in range(25):
        NewsPostFactory(title=f"Post {i:02d}", published_at=now - timedelta(days=i))
    page = client.get(reverse("newsletter:news_list")).content.decode()
    assert "Post 00" in page and "Post 09" in page and "Post 10" not in page
    assert "Page 1 of 3" in page
    oldest = client.get(reverse("newsletter:news_list") + _last_page_link(page)).content.decode()
    assert "Post 24" in oldest and "Post 19" not in oldest and "Page 3 of 3" in oldest


def test_the_archive_pages_reach_the_first_issue(client):
    for number in range(1, 46):
        IssueFactory(number=number, is_public=True)
    page = client.get(reverse("newsletter:issue_list")).content.decode()
    assert "Issue #45" in page and "Issue #26" in page and "Issue #25" not in page
    oldest = client.get(reverse("newsletter:issue_list") + _last_page_link(page)).content.decode()
    assert "Issue #1<" in oldest or "Issue #1 " in oldest


def test_histories_page_down_to_the_oldest_entry(client, organizer, chair, group):
    other = WorkingGroupFactory()
    for i in range(120):
        AuditEntry.objects.create(
            actor=organizer, action=AuditEntry.Action.INVITED, working_group=group if i % 2 else other, note=f"n{i:03d}"
        )
    client.force_login(organizer)
    page = client.get(reverse("roles:history")).content.decode()
    assert "n119" in page and "Page 1 of 3" in page
    oldest = client.get(reverse("roles:history") + _last_page_link(page)).content.decode()
    assert "n000" in oldest and "n119" not in oldest

    client.force_login(chair)
    url = reverse("working_groups:history", args=[group.slug])
    page = client.get(url, {"action": "invited"}).content.decode()
    assert "n119" in page and "Page 1 of 2" in page and "n000" not in page
    link = re.search(r'href="\?([^"]*)" rel="next"', page).group(1).replace("&amp;", "&")
    assert link == "action=invited&page=2"
    oldest = client.get(url + "?" + link).content.decode()
    assert "n001" in oldest and "n000" not in oldest  # n000 is the other group's
    assert client.get(url, {"page": "nonsense"}).status_code == 200
