"""The rule book itself: every registered permission is asked somewhere, and nothing is cached on users."""

import re
from pathlib import Path

import pytest
from rules.permissions import permissions

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "accounts",
    "activity",
    "bigscience_portal",
    "credit",
    "events",
    "newsletter",
    "roles",
    "tasks",
    "working_groups",
)


def _sources() -> dict[Path, str]:
    files = [path for app in APPS for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts]
    files += list((ROOT / "templates").rglob("*.html"))
    return {path: path.read_text() for path in files}


def test_every_registered_permission_is_asked_outside_the_rule_files():
    sources = {path: text for path, text in _sources().items() if path.name != "rules.py"}
    ours = sorted(name for name in permissions if name.split(".")[0] in APPS)
    assert len(ours) >= 25
    dead = [name for name in ours if not any(f'"{name}"' in text for text in sources.values())]
    assert dead == []


def test_no_rule_result_is_cached_on_the_user_object():
    # any private attribute set on a user (``user._x = ...``, ``setattr(user, "_x", ...)``) or dropped again
    private = r"user\._\w+ *=[^=]|setattr\(user, *[\"']_|user\.__dict__\.pop\([\"']_"
    pattern = re.compile(private + "|_current_role_slugs_by_group")
    assert [str(path) for path, text in _sources().items() if pattern.search(text)] == []


def test_templates_ask_the_rule_book_not_role_slugs_or_organizer_flags():
    # (A link to the Steering Committee on the advisor role's page is content, not a rule.)
    pattern = re.compile(r'role\.slug ?[!=]= ?"(chair|participant)"|user_is_organizer|\bis_organizer\b')
    templates = {path: text for path, text in _sources().items() if path.suffix == ".html"}
    assert [str(path) for path, text in templates.items() if pattern.search(text)] == []


def test_no_private_rule_helper_is_imported_across_apps():
    pattern = re.compile(r"from (\w+)\.rules import [^\n]*\b_\w+")
    found = []
    for path, text in _sources().items():
        for match in pattern.finditer(text):
            if match.group(1) != path.relative_to(ROOT).parts[0]:
                found.append(f"{path}: {match.group(0)}")
    assert found == []


@pytest.mark.django_db
def test_predicates_remember_only_within_a_request(group, chair, member, organizer):
    """Outside a request nothing is remembered: a change of roles shows at once."""
    from roles import rules, services
    from roles.models import Participation

    seat = Participation.objects.get(user=member)
    assert rules.chairs_group(member, group) is False
    services.set_chair(seat, actor=organizer, chair=True)
    assert rules.chairs_group(member, group) is True
    assert not hasattr(member, "_active_roles") and not hasattr(organizer, "_is_organizer")
