"""The three news items of the source document."""

import datetime

from .models import NewsPost

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
