"""News, the newsletter archive, the review queue and every history are paged, with a way to the oldest."""

import re

import pytest
from django.urls import reverse

from tests.factories import IssueFactory, NewsPostFactory

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
