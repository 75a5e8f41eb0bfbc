"""The key pages the benchmark measures, and who looks at them.

Each page lists candidate addresses: a URL name (reversed with the page's object) or a path.
The first candidate that answers 200 is measured; a page none of whose candidates answers is
reported as missing (the app that serves it is not built yet).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    label: str
    candidates: tuple[str, ...]
    user: str | None = None  # None: anonymous; else a key of generate.KNOWN
    obj: str | None = None  # "group", "event", "task" or "output": the object the URL names
    api: bool = False
    tags: tuple[str, ...] = field(default=())

    @property
    def public(self) -> bool:
        return self.user is None


PAGES = [
    Page("home", ("home",)),
    Page("working groups", ("working_groups:list",)),
    Page("a group page", ("working_groups:detail",), obj="group"),
    Page("events", ("events:list",)),
    Page("an event's schedule", ("events:schedule", "events:detail"), obj="event"),
    Page("calendar feed", ("events:public_feed", "events:feed")),
    Page("news", ("newsletter:news_list",)),
    Page("task board", ("tasks:board",)),
    Page("a task page", ("tasks:detail",), obj="task"),
    Page("languages page", ("tasks:languages",)),
    Page("newsletter archive", ("newsletter:issue_list", "newsletter:archive")),
    Page(
        "my participation",
        ("my_participation", "roles:mine", "roles:my_participation", "accounts:participation"),
        user="member",
    ),
    Page(
        "chair: manage group",
        ("working_groups:manage", "roles:manage", "working_groups:manage_members", "roles:manage_group"),
        user="chair",
        obj="group",
    ),
    Page("output (400 authors)", ("credit:output_detail",), obj="output"),
    Page("output BibTeX", ("credit:export_bibtex",), obj="output"),
    Page("API: groups", ("/api/v1/groups/", "/api/v1/working-groups/", "/api/v1/working_groups/"), api=True),
    Page("API: events", ("/api/v1/events/",), api=True),
    Page("API: news", ("/api/v1/news/", "/api/v1/news-posts/", "/api/v1/newsposts/"), api=True),
    Page("API: issues", ("/api/v1/issues/", "/api/v1/newsletter-issues/", "/api/v1/newsletter/issues/"), api=True),
]

BASELINE = Page("trivial view (/livez)", ("livez",))
