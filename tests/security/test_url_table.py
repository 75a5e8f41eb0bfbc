"""Every URL against every kind of person: the answer the table gives, no GET changes anything, the
security headers are there, no signed-in answer may be kept by a shared cache, and every HTML page has
unique ids and labels that point at inputs."""

from urllib.parse import urlsplit

import pytest

from .conftest import PERSONS, changed_tables, snapshot
from .headers import PRODUCTION_LIKE, SANDBOXED_PAGES, header_problems, sandbox_problems, shared_cache_problem
from .html_ids import id_problems
from .url_table import all_rows, pattern_keys

pytestmark = pytest.mark.django_db
ROWS = all_rows()


def answer(response):
    """The status code, or "→/path" for a redirect."""
    if response.status_code in (301, 302, 303, 307, 308):
        return "→" + urlsplit(response["Location"]).path
    return response.status_code


def test_every_url_pattern_has_a_row():
    keys = [row.key for row in ROWS]
    assert len(keys) == len(set(keys)), "a pattern has two rows"
    missing = pattern_keys() - set(keys)
    assert missing == set(), f"URL patterns without a row in tests/security/url_table.py: {sorted(missing)}"
    assert set(keys) - pattern_keys() == set(), "rows for patterns that no longer exist"


def test_every_row_names_every_kind_of_person(db, shared_world):
    world = shared_world
    expected = {row.key: set(row.expected(world)) for row in ROWS}
    assert {key: persons for key, persons in expected.items() if persons != set(PERSONS)} == {}


@pytest.mark.parametrize("row", ROWS, ids=[row.key for row in ROWS])
def test_get_answers_each_person_as_the_table_says_and_changes_nothing(row, db, shared_world, settings):
    world = shared_world
    """Also: every HTML answer carries the security headers, with production-like settings."""
    for name, value in PRODUCTION_LIKE.items():
        setattr(settings, name, value)
    url = row.url(world)
    clients = {person: world.client_for(person) for person in PERSONS}
    before = snapshot()
    responses = {person: client.get(url, secure=True) for person, client in clients.items()}
    answers = {person: answer(response) for person, response in responses.items()}
    assert answers == row.expected(world), url
    assert changed_tables(before, snapshot()) == [], f"GET {url} changed the database"

    def problems(response):
        sandboxed = row.key in SANDBOXED_PAGES and response.status_code == 200
        return (sandbox_problems if sandboxed else header_problems)(response)

    weak = {
        person: problems(response)
        for person, response in responses.items()
        if response.get("Content-Type", "").startswith("text/html") and problems(response)
    }
    assert weak == {}, f"GET {url}: weak security headers"
    html = {
        person: response.content.decode()
        for person, response in responses.items()
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html")
    }
    ids = {person: found for person, page in html.items() if (found := id_problems(page))}
    assert ids == {}, f"GET {url}: repeated ids or labels that point nowhere"
    # what a signed-in person is shown is never kept by a shared cache
    shared = {
        person: problem
        for person, response in responses.items()
        if person != "anonymous"
        and response.status_code == 200
        and (problem := shared_cache_problem(response)) is not None
    }
    assert shared == {}, f"GET {url}: a signed-in answer without Cache-Control: private"
