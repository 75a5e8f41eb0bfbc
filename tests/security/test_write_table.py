"""Every write of the site and the API against every kind of person: the answer the table gives,
and a database that a refused write leaves exactly as it was."""

import pytest
from django.db import transaction

from .conftest import PERSONS, changed_tables, snapshot
from .test_url_table import answer
from .url_table import all_rows
from .write_table import all_writes, is_exempt

pytestmark = pytest.mark.django_db
WRITES = all_writes()
CASES = [(row, method, person) for row in WRITES for method in row.methods for person in PERSONS]
METHODS = ("post", "put", "patch", "delete")


def _resolve(expected, world, person):
    """Answers that name an object of the world: ``{draft_issue}``, ``{poster_session}``; or, for an
    object the request itself made (a new claim, a copied task), a function of the world and the person
    that finds it once the request has run."""
    if callable(expected):
        return expected(world, person)
    if isinstance(expected, str) and "{" in expected:
        return expected.format(
            draft_issue=world.objects["draft_issue"].pk, poster_session=world.objects["poster"].session_id
        )
    return expected


def _send(world, row, method, person):
    client = world.client_for(person)
    body = row.body(world)
    if row.json:
        return getattr(client, method)(row.url(world), body, content_type="application/json", secure=True)
    if method == "post":
        return client.post(row.url(world), body, secure=True)
    return getattr(client, method)(row.url(world), secure=True)


def test_every_write_row_names_every_kind_of_person_once():
    keys = [(row.key, method) for row in WRITES for method in row.methods]
    assert len(keys) == len(set(keys)), "a pattern and method have two write rows"
    assert {row.key: set(row.answers) for row in WRITES if set(row.answers) != set(PERSONS)} == {}
    assert {row.key: set(row.changes) - set(PERSONS) for row in WRITES if set(row.changes) - set(PERSONS)} == {}


def test_every_write_accepting_pattern_has_a_write_row(shared_world):
    """Ask every URL with every write method, as the organizer (who may do most): whatever does not
    answer 405 accepts that method and needs a row in write_table.py or tests/security/rows/."""
    world = shared_world
    covered = {(row.key, method) for row in WRITES for method in row.methods}
    accepting = set()
    for row in all_rows():
        if is_exempt(row.key):
            continue
        for method in METHODS:
            with transaction.atomic():
                response = getattr(world.client_for("organizer"), method)(row.url(world), secure=True)
                transaction.set_rollback(True)
            if response.status_code != 405:
                accepting.add((row.key, method))
    assert sorted(accepting - covered) == [], "writes without a row in tests/security/write_table.py"
    assert sorted({key for key, _ in covered} - {row.key for row in all_rows()}) == [], "rows of no pattern"


@pytest.mark.parametrize(
    ("row", "method", "person"), CASES, ids=[f"{row.key}-{method}-{person}" for row, method, person in CASES]
)
def test_write_answers_as_the_table_says_and_changes_only_what_it_may(row, method, person, shared_world):
    world = shared_world
    before = snapshot()
    response = _send(world, row, method, person)
    assert answer(response) == _resolve(row.answers[person], world, person), (
        f"{method.upper()} {row.url(world)} as {person}"
    )
    assert changed_tables(before, snapshot()) == row.expected_changes(person), (
        f"{method.upper()} {row.url(world)} as {person}"
    )
