"""What a signed-in person sees is never kept by a shared cache: ``Cache-Control: private`` on every
signed-in answer of the URL table (checked by ``test_url_table.py`` on the pages it fetches), and
``no-store`` on downloads of personal data (exports), here."""

import pytest

from .headers import cache_directives, shared_cache_problem
from .url_table import all_rows

pytestmark = pytest.mark.django_db
ROWS = all_rows()
EXPORTS = {"working_groups:members_csv", "events:export", "accounts:export"}


@pytest.mark.parametrize("key", sorted(EXPORTS))
def test_exports_are_no_store(key, db, shared_world, settings):
    world = shared_world
    row = next(row for row in ROWS if row.key == key)
    person = next(p for p in ("organizer", "chair", "volunteer") if row.expected(world).get(p) in (200, 405))
    client = world.client_for(person)
    url = row.url(world)
    response = client.post(url, secure=True) if row.expected(world)[person] == 405 else client.get(url, secure=True)
    assert response.status_code == 200
    assert {"no-store", "private"} <= cache_directives(response)


def test_the_shared_cache_check_finds_what_it_should():
    from django.http import HttpResponse

    def answer(cache_control=None):
        response = HttpResponse()
        if cache_control:
            response["Cache-Control"] = cache_control
        return response

    assert shared_cache_problem(answer()) == ""
    assert shared_cache_problem(answer("public, max-age=60")) == "public, max-age=60"
    assert shared_cache_problem(answer("private, public")) == "private, public"
    assert shared_cache_problem(answer("private")) is None
    assert shared_cache_problem(answer("no-store")) is None
