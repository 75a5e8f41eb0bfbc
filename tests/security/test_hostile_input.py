"""Typed content can never run script in anyone's browser.

Every field people type (profiles, motivations, news, progress updates, group pages, event
descriptions and abstracts, newsletter editorials and feedback) is filled with hostile input,
then every page that shows it is parsed: no script, event handler, javascript: link or
embedded SVG/frame may come out of it.
"""

from html.parser import HTMLParser

import pytest
from django.utils import timezone

from accounts.models import Profile

pytestmark = pytest.mark.django_db
SCRIPT = "<script>alert('xss')</script>"
IMG = '<img src=x onerror="alert(1)">'
SVG = "<svg onload=alert(1)><circle r=1 /></svg>"
LINK = "[click me](javascript:alert(1))"
RAW_LINK = '<a href="javascript:alert(1)" onclick="alert(2)">raw</a>'
BREAKOUT = '"><script>alert(3)</script><p title="'
HOSTILE = " ".join((SCRIPT, IMG, SVG, LINK, RAW_LINK, BREAKOUT))
SHORT = '"><img src=x onerror=alert(1)>'  # fits a 100-character name
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcdoc", "data", "poster"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


class DangerScanner(HTMLParser):
    """Collects every element or attribute of a page that could run script."""

    def __init__(self, allow_style: bool = False):
        super().__init__()
        self.allow_style = allow_style
        self.dangers: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.dangers.append(f"<script {attrs}>")
        if tag in {"svg", "math", "object", "embed", "base"}:
            self.dangers.append(f"<{tag}>")
        if tag == "iframe" and not ("sandbox" in attributes and (attributes.get("src") or "").startswith("/")):
            self.dangers.append(f"<iframe {attrs}>")
        for name, value in attrs:
            if name.startswith("on") or (name == "style" and not self.allow_style):
                self.dangers.append(f"<{tag} {name}={value!r}>")
            squeezed = "".join((value or "").split()).lower()
            if name in URL_ATTRIBUTES and squeezed.startswith(BAD_SCHEMES):
                self.dangers.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def dangers_in(html: str, *, allow_style: bool = False) -> list[str]:
    scanner = DangerScanner(allow_style)
    scanner.feed(html)
    return scanner.dangers


def test_the_scanner_finds_each_kind_of_attack():
    assert len(dangers_in(SCRIPT + IMG + SVG + RAW_LINK)) == 6
    assert dangers_in('<a href=" JaVa\tScRiPt:alert(1)">x</a>') != []
    assert dangers_in('<script src="/static/js/site.js" defer></script><a href="https://x.org">x</a>') == []


def _fill_with_hostile_input(world) -> None:
    from events.models import Speaker
    from newsletter.models import Feedback, NewsPost
    from working_groups.models import ProgressUpdate

    for person in ("member", "volunteer", "chair"):
        Profile.objects.filter(user=world.people[person]).update(
            display_name=SHORT, affiliation=HOSTILE[:200], expertise=HOSTILE, show_in_directory=True
        )
    world.objects["application"].__class__.objects.filter(pk=world.objects["application"].pk).update(motivation=HOSTILE)
    world.group.__class__.objects.filter(pk=world.group.pk).update(
        description=HOSTILE,
        guidelines=HOSTILE,
        short_description=HOSTILE[:300],
        links=[{"label": SCRIPT, "url": "javascript:alert(1)"}],
    )
    ProgressUpdate.objects.create(working_group=world.group, author=world.people["chair"], title=SHORT, body=HOSTILE)
    NewsPost.objects.filter(pk=world.objects["news"].pk).update(title=SHORT, body=HOSTILE)
    event = world.objects["event"]
    event.__class__.objects.filter(pk=event.pk).update(description=HOSTILE, place=HOSTILE[:300], title=SHORT)
    session = world.objects["session"]
    session.__class__.objects.filter(pk=session.pk).update(title=SHORT, abstract=HOSTILE)
    poster = world.objects["poster"]
    poster.__class__.objects.filter(pk=poster.pk).update(title=SHORT, abstract=HOSTILE)
    session.speakers.add(Speaker.objects.create(name=SHORT, affiliation=HOSTILE[:200]))
    issue = world.objects["issue"]
    issue.__class__.objects.filter(pk=issue.pk).update(editorial=HOSTILE, title=SHORT)
    Feedback.objects.create(issue=issue, user=world.people["advisor"], name=SHORT, body=HOSTILE)
    world.objects["draft_issue"].__class__.objects.filter(pk=world.objects["draft_issue"].pk).update(
        editorial=HOSTILE, title=SHORT, updated_at=timezone.now()
    )


def _pages(world) -> dict:
    group, event = world.group.slug, world.objects["event"].slug
    draft = world.objects["draft_issue"].pk
    return {
        "anonymous": [
            "/",
            "/groups/",
            f"/groups/{group}/",
            "/news/",
            f"/news/{world.objects['news'].slug}/",
            "/events/",
            f"/events/{event}/",
            "/roles/steering-committee/",
        ],
        "member": ["/news/issues/7/", "/me/participation/", f"/groups/{group}/"],
        "volunteer": ["/me/participation/", "/me/profile/"],
        "chair": [f"/groups/{group}/manage/", f"/groups/{group}/manage/history/", "/news/feedback/"],
        "organizer": [
            "/roles/review/",
            "/roles/history/",
            "/news/feedback/",
            f"/news/manage/{draft}/",
            f"/news/manage/{draft}/preview.html",
            f"/events/{event}/manage/",
        ],
    }


def test_hostile_input_in_every_typed_field_never_runs(world):
    _fill_with_hostile_input(world)
    found, statuses = {}, {}
    for person, urls in _pages(world).items():
        client = world.client_for(person)
        for url in urls:
            response = client.get(url)
            statuses[(person, url)] = response.status_code
            # the e-mail preview is e-mail HTML, shown in a sandboxed frame: inline styles are its norm
            dangers = dangers_in(response.content.decode(), allow_style=url.endswith("preview.html"))
            if dangers:
                found[(person, url)] = dangers
    assert {key: status for key, status in statuses.items() if status != 200} == {}
    assert found == {}


def test_hostile_input_is_shown_as_text_not_dropped(world):
    """The escaping shows what was typed: a reader sees the angle brackets, the page keeps working."""
    _fill_with_hostile_input(world)
    page = world.client_for("anonymous").get(f"/news/{world.objects['news'].slug}/").content.decode()
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page or "&#x27;" in page or "&lt;img" in page
