"""The ids of a page: no two elements share one, and every label points at a form control that exists (so a
screen reader and a click on the label reach it). The URL-table test checks every page it fetches."""

from html.parser import HTMLParser

LABELABLE = {"input", "select", "textarea", "button", "meter", "output", "progress"}


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, list[str]] = {}
        self.labels: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.setdefault(attrs["id"], []).append(tag)
        if tag == "label" and attrs.get("for"):
            self.labels.append(attrs["for"])


def id_problems(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    problems = [f"id {key!r} used {len(tags)} times" for key, tags in parser.ids.items() if len(tags) > 1]
    for target in parser.labels:
        tags = parser.ids.get(target)
        if not tags:
            problems.append(f"label for {target!r}: no such element")
        elif tags[0] not in LABELABLE:
            problems.append(f"label for {target!r} points at a <{tags[0]}>")
    return problems
