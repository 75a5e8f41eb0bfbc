"""Every page of the URL table, as each kind of person sees it: no two elements share an id, and every
label points at a form control that exists (so a screen reader and a click on the label reach it)."""

from html.parser import HTMLParser

import pytest

from .conftest import PERSONS
from .url_table import all_rows

pytestmark = pytest.mark.django_db
ROWS = all_rows()
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


def test_the_checker_finds_what_it_should():
    assert id_problems('<input id="a"><input id="a">') == ["id 'a' used 2 times"]
    assert id_problems('<label for="b">B</label>') == ["label for 'b': no such element"]
    assert id_problems('<label for="c">C</label><div id="c"></div>') == ["label for 'c' points at a <div>"]
    assert id_problems('<label for="d">D</label><select id="d"></select>') == []


@pytest.mark.parametrize("row", ROWS, ids=[row.key for row in ROWS])
def test_every_page_has_unique_ids_and_labels_that_point_at_inputs(row, shared_world):
    world = shared_world
    url = row.url(world)
    problems = {}
    for person in PERSONS:
        response = world.client_for(person).get(url, secure=True)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        found = id_problems(response.content.decode())
        if found:
            problems[person] = found
    assert problems == {}, url
