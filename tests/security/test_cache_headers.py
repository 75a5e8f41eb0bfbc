"""What a signed-in person sees is never kept by a shared cache: ``Cache-Control: private`` on every
signed-in answer of the URL table, ``no-store`` on downloads of personal data (exports)."""

import pytest

from .conftest import PERSONS
from .url_table import all_rows

pytestmark = pytest.mark.django_db
ROWS = all_rows()
SIGNED_IN = [person for person in PERSONS if person != "anonymous"]
EXPORTS = {"working_groups:members_csv", "events:export", "accounts:export"}


def _directives(response) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_every_signed_in_answer_of_the_url_table_is_private(db, shared_world):
    world = shared_world
    clients = {person: world.client_for(person) for person in SIGNED_IN}
    shared = {}
    for row in ROWS:
        url = row.url(world)
        for person, client in clients.items():
            response = client.get(url, secure=True)
            if response.status_code == 200:
                directives = _directives(response)
                if "private" not in directives and "no-store" not in directives:
                    shared[(url, person)] = response.get("Cache-Control", "")
                if "public" in directives:
                    shared[(url, person)] = response.get("Cache-Control", "")
    assert shared == {}


@pytest.mark.parametrize("key", sorted(EXPORTS))
def test_exports_are_no_store(key, db, shared_world, settings):
    world = shared_world
    row = next(row for row in ROWS if row.key == key)
    person = next(p for p in ("organizer", "chair", "volunteer") if row.expected(world).get(p) in (200, 405))
    client = world.client_for(person)
    url = row.url(world)
    response = client.post(url, secure=True) if row.expected(world)[person] == 405 else client.get(url, secure=True)
    assert response.status_code == 200
    assert {"no-store", "private"} <= _directives(response)
