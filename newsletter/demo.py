"""The three news items of the source document, and two sent newsletter issues with feedback."""

import datetime

from activity.services import record

from .models import Delivery, Feedback, Issue, IssueItem, NewsPost

NEWS = [
    (
        "on-to-the-moon",
        "On to the moon 🚀",
        datetime.datetime(2021, 4, 13, 9, 0, tzinfo=datetime.UTC),
        "The GPU allocation committee of the French Jean Zay supercomputer had heated discussions last week during its "
        "decision meetings, in part because of the size and ambition of the project. The reviews were overwhelmingly "
        "positive, in particular on the scientific and collaborative aspects.\n\n"
        "**The project has been allocated 2.5 million GPU hours** 🎉: the first half of the requested budget, for the "
        "first half of the one-year timeline. The project will be re-evaluated in six months, with a standard extension "
        "request for the second slice of the compute budget.\n\n"
        "The project is now on a firm basis and can officially start. It shows how a strong national and regional research "
        "community, and a government supportive of new endeavours, can make such an ambitious open-science project real.",
    ),
    (
        "preparing-a-kick-off-event",
        "Preparing a kick-off event",
        datetime.datetime(2021, 4, 19, 9, 0, tzinfo=datetime.UTC),
        "The working group of the Organization Committee is now planning a kick-off event on **April 28th** to introduce "
        "the workshop.",
    ),
    (
        "bigscience-episode-1",
        "BigScience Episode #1 🎉",
        datetime.datetime(2021, 7, 21, 9, 0, tzinfo=datetime.UTC),
        "It's been two months since we kicked off the BigScience project: time to present some first results. Join us "
        "for talks and poster sessions on **July 30th, 2021**. The event is co-located with the second ELLIS NLP "
        "workshop; the program is on the [events page](/events/).",
    ),
]


def load_news(context: dict) -> None:
    author = context.get("users", {}).get("organizer")
    for slug, title, published_at, body in NEWS:
        NewsPost.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "body": body,
                "published_at": published_at,
                "is_published": True,
                "author": author,
            },
        )


def _at(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T09:00:00+00:00")


# Progress updates of 2021, posted by the groups' chairs (dated, so they belong to the sent issues).
PROGRESS = [
    (
        "data-sourcing",
        "2021-04-15",
        "A catalogue of sources",
        "We started a catalogue of **250 sources** in 40 languages, with their licences.",
    ),
    (
        "tokenization",
        "2021-07-15",
        "First tokenizer study",
        "We compared three tokenizers on 20 languages; the report is in the working documents.",
    ),
    ("prompt-engineering", "2021-07-19", "Prompt templates", "A first set of prompt templates is ready for review."),
]

ISSUES = [
    {
        "number": 1,
        "title": "BigScience newsletter #1: on to the moon",
        "period": ("2021-04-06", "2021-04-20"),
        "editorial": "Welcome to the first newsletter of the workshop! Every two weeks it tells the Steering Committee "
        "what happened, and asks for your advice. **Reply through the feedback link**: we read every answer.",
        "news": ["on-to-the-moon", "preparing-a-kick-off-event"],
        "progress": ["A catalogue of sources"],
        "events": ["kick-off-2021"],
        "figures": {"new_participants": 42, "new_by_role": {"Working Group Participant": 38, "Advisor": 4}},
        "public": True,
        "feedback": [(None, "A great start. Could the next issue say how the compute hours will be shared?")],
    },
    {
        "number": 2,
        "title": "BigScience newsletter #2: Episode #1",
        "period": ("2021-07-08", "2021-07-22"),
        "editorial": "Two months in, the first results: join Episode #1 on July 30th.",
        "news": ["bigscience-episode-1"],
        "progress": ["First tokenizer study", "Prompt templates"],
        "events": [],
        "figures": {"new_participants": 120, "new_by_role": {"Working Group Participant": 112, "Advisor": 8}},
        "public": False,
        "feedback": [
            ("Prompt templates", "The prompt templates should cover more languages than English early on."),
            (None, "Please add the Episode #1 recording link once it is online."),
        ],
    },
]


def _progress_updates(context: dict) -> dict:
    from working_groups.models import ProgressUpdate, WorkingGroup

    author = context.get("users", {}).get("chair")
    updates = {}
    for slug, day, title, body in PROGRESS:
        group = WorkingGroup.objects.filter(slug=slug).first()
        if group is None:
            continue
        update, _ = ProgressUpdate.objects.get_or_create(
            working_group=group, title=title, defaults={"body": body, "author": author}
        )
        ProgressUpdate.objects.filter(pk=update.pk).update(created_at=_at(day))
        updates[title] = update
    return updates


def _items(spec: dict, updates: dict) -> list[IssueItem]:
    from events.models import Event

    items = [
        IssueItem(kind=IssueItem.Kind.NEWS, title=p.title, body=p.body, url=p.get_absolute_url(), news_post=p)
        for p in NewsPost.objects.filter(slug__in=spec["news"]).order_by("published_at")
    ]
    items += [
        IssueItem(
            kind=IssueItem.Kind.PROGRESS,
            title=f"{u.working_group.name}: {u.title}",
            body=u.body,
            url=u.working_group.get_absolute_url(),
            progress_update=u,
            working_group=u.working_group,
        )
        for u in (updates[t] for t in spec["progress"] if t in updates)
    ]
    items += [
        IssueItem(kind=IssueItem.Kind.EVENT, title=e.title, url=e.get_absolute_url(), happens_at=e.start, event=e)
        for e in Event.objects.filter(slug__in=spec["events"])
    ]
    return items


def _sent_issue(spec: dict, updates: dict, context: dict) -> None:
    users = context.get("users", {})
    start, end = (_at(day) for day in spec["period"])
    issue, created = Issue.objects.get_or_create(
        number=spec["number"],
        defaults={
            "title": spec["title"],
            "editorial": spec["editorial"],
            "status": Issue.Status.SENT,
            "period_start": start,
            "period_end": end,
            "scheduled_for": end,
            "sending_started_at": end,
            "sent_at": end + datetime.timedelta(minutes=3),
            "approved_at": end - datetime.timedelta(hours=5),
            "approved_by": users.get("organizer"),
            "created_by": users.get("organizer"),
            "figures": {**spec["figures"], "open_groups": []},
            "is_public": spec["public"],
        },
    )
    if not created:
        return
    items = _items(spec, updates)
    for position, item in enumerate(items):
        item.issue, item.position = issue, position
    IssueItem.objects.bulk_create(items)
    for action, from_state, to_state in (
        ("drafted", "", "draft"),
        ("approved", "draft", "approved"),
        ("sending", "approved", "sending"),
        ("sent", "sending", "sent"),
    ):
        record(
            actor=users.get("organizer") if action == "approved" else None,
            action=f"newsletter.issue.{action}",
            obj=issue,
            from_state=from_state,
            to_state=to_state,
        )
    advisor = users.get("advisor")
    if advisor is None:
        return
    Delivery.objects.create(
        issue=issue,
        email=advisor.email,
        name=advisor.display_name,
        user=advisor,
        status=Delivery.Status.SENT,
        attempts=1,
        sent_at=end + datetime.timedelta(minutes=1),
    )
    by_title = {u.title: item for item in items for u in [item.progress_update] if u}
    for item_title, body in spec["feedback"]:
        Feedback.objects.create(
            issue=issue,
            item=by_title.get(item_title),
            user=advisor,
            email=advisor.email,
            name=advisor.display_name,
            body=body,
        )


def load_issues(context: dict) -> None:
    """Two sent issues of 2021, delivered to the demo advisor, with the advisor's feedback."""
    updates = _progress_updates(context)
    for spec in ISSUES:
        _sent_issue(spec, updates, context)
