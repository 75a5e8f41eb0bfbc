"""What an issue is made of: gathered from the news, the groups and the events, then copied."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count

from events.models import Event
from roles.models import Participation
from working_groups.models import ProgressUpdate, WorkingGroup

from .models import IssueItem, NewsPost

UPCOMING_WINDOW = timedelta(days=28)


@dataclass
class Gathered:
    items: list[IssueItem] = field(default_factory=list)
    figures: dict = field(default_factory=dict)


def _news(since, until) -> list[IssueItem]:
    posts = NewsPost.objects.published().filter(published_at__lte=until)
    if since:
        posts = posts.filter(published_at__gt=since)
    return [
        IssueItem(
            kind=IssueItem.Kind.NEWS,
            title=p.title,
            body=p.body,
            title_fr=p.title_fr,
            body_fr=p.body_fr,
            url=p.get_absolute_url(),
            news_post=p,
        )
        for p in posts.order_by("published_at")
    ]


def _progress(since, until) -> list[IssueItem]:
    updates = ProgressUpdate.objects.filter(created_at__lte=until).select_related("working_group")
    if since:
        updates = updates.filter(created_at__gt=since)
    return [
        IssueItem(
            kind=IssueItem.Kind.PROGRESS,
            title=f"{u.working_group.name}: {u.title}",
            body=u.body,
            url=u.working_group.get_absolute_url(),
            progress_update=u,
            working_group=u.working_group,
        )
        for u in updates.order_by("working_group__name", "created_at")
    ]


def _events(start) -> list[IssueItem]:
    return [
        IssueItem(
            kind=IssueItem.Kind.EVENT,
            title=e.title,
            body=_first_paragraph(e.description),
            url=e.get_absolute_url(),
            happens_at=e.start,
            event=e,
        )
        for e in Event.objects.between(start, start + UPCOMING_WINDOW)
    ]


def _first_paragraph(text: str) -> str:
    return (text or "").strip().split("\n\n", 1)[0]


def figures(since, until) -> dict:
    """New participants since the last issue, by role, and the groups open to applications."""
    joined = Participation.objects.filter(status=Participation.Status.ACTIVE, started_at__lte=until)
    if since:
        joined = joined.filter(started_at__gt=since)
    by_role = dict(joined.values_list("role__name").annotate(n=Count("pk")).order_by("role__order"))
    open_groups = [
        {"name": name, "url": WorkingGroup(slug=slug).get_absolute_url()}
        for name, slug in WorkingGroup.objects.filter(is_open=True).order_by("name").values_list("name", "slug")
    ]
    return {
        "new_participants": sum(by_role.values()),
        "new_by_role": by_role,
        "open_groups": open_groups,
    }


def gather(*, since: datetime | None, until: datetime, upcoming_from: datetime) -> Gathered:
    """Everything new in (since, until], and the events of the four weeks from ``upcoming_from``."""
    items = _news(since, until) + _progress(since, until) + _events(upcoming_from)
    return Gathered(items=items, figures=figures(since, until))


def source_key(item: IssueItem) -> tuple:
    return (item.kind, item.news_post_id or item.progress_update_id or item.event_id)


def left_out_keys(issue) -> set:
    return {source_key(item) for item in issue.items.filter(included=False)}


def save_items(issue, items: list[IssueItem], *, left_out: set | None = None) -> None:
    left_out = left_out or set()
    for position, item in enumerate(items):
        item.issue = issue
        item.position = position
        item.included = source_key(item) not in left_out
    IssueItem.objects.bulk_create(items)
