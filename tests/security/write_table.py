"""Every write (POST, PUT, PATCH, DELETE) of the site and the API, and what each kind of person gets.

A row names the URL pattern, the methods, the data sent, the answer each kind of person gets (the
status code, or ``"→/path"`` for a redirect) and, for the people whose request is carried out, the
tables it changes (model labels). Everyone else's request changes nothing: the test compares the
whole database before and after each request. Every answer here is written by hand from the rules
(the seed, ``roles/rules.py`` and its sister ``rules.py`` files), not computed by the code under test.

The objects are the security world's (``tests/security/conftest.py``): the volunteer's application
and registration, the member's seat and the chair's invitation in the chair's group, a sent issue
(#7) and a draft (#8), an event with a session and a poster.

``test_every_write_accepting_pattern_has_a_write_row`` fails when a URL pattern accepts a write
method (answers anything but 405 to it) and has no row here nor in ``tests/security/rows/*.py``
(``WRITES``): add one. The admin's writes are not here: the admin is read-only (issue 11, "found").
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

from .conftest import PERSONS
from .url_table import ADMIN_LOGIN, HOME, KWARGS, LOGIN, everyone, only, signed_in  # noqa: F401

API = ("api",)  # marker: the row sends JSON
ACTIVITY = "activity.ActivityLog"
OUTBOX = "bigscience_portal.OutgoingEmail"
MANAGE = "→/groups/data-governance/manage/"
EVENT_PAGE = "→/events/launch-event/"
EVENT_MANAGE = "→/events/launch-event/manage/"
MINE = "→/me/participation/"


@dataclass(frozen=True)
class WriteRow:
    key: str  # the URL pattern, as in url_table.py
    methods: tuple  # ("post",), or several sharing the answers
    answers: dict  # person -> answer
    changes: dict = field(default_factory=dict)  # person -> the tables their request changes
    data: dict | Callable = field(default_factory=dict)  # the body, or a function of the world
    json: bool = False  # an API call: JSON body
    kwargs: Callable | None = None  # default: url_table.KWARGS[key]
    path: str | None = None

    def url(self, world) -> str:
        if self.path:
            return self.path
        build = self.kwargs or KWARGS.get(self.key) or (lambda world: {})
        return reverse(self.key, kwargs=build(world))

    def body(self, world) -> dict:
        return self.data(world) if callable(self.data) else self.data

    def expected_changes(self, person) -> list[str]:
        return sorted(self.changes.get(person, ()))


def who(persons, tables) -> dict:
    return dict.fromkeys(persons, tuple(tables))


def same_as_get(key, get_answers: dict, methods=("post", "put", "patch", "delete"), **options) -> WriteRow:
    """A page that answers every method like a GET (no method check) and so changes nothing."""
    return WriteRow(key, methods, get_answers, **options)


EVERYONE_200 = everyone(200)
ORGANIZERS_200 = only(("organizer",), 200, 403)
API_ONLY_404 = {"anonymous": 401, "unverified": 403}  # the API refuses unverified writers first

WRITES = [
    # --- pages that answer any method like a GET: nothing changes --------------------------------
    same_as_get("home", EVERYONE_200),
    same_as_get("healthz", EVERYONE_200),
    same_as_get("livez", EVERYONE_200),
    same_as_get("newsletter:news_list", EVERYONE_200),
    same_as_get("newsletter:news_detail", EVERYONE_200),
    same_as_get("newsletter:news_feed", EVERYONE_200),
    same_as_get("newsletter:issue_list", EVERYONE_200),
    same_as_get("newsletter:feedback_list", only(("chair", "other_chair", "organizer"), 200, 403)),
    same_as_get("newsletter:manage", ORGANIZERS_200),
    same_as_get("newsletter:issue_manage", ORGANIZERS_200),
    same_as_get("newsletter:issue_preview_html", ORGANIZERS_200),
    same_as_get("api-not-found", everyone(404), path="/api/no-such-endpoint/"),
    # --- the person's own account ------------------------------------------------------------------
    WriteRow("accounts:profile", ("post",), signed_in(200)),  # empty form: errors, nothing saved
    WriteRow("accounts:export", ("post",), signed_in(200)),  # a download, nothing written
    WriteRow("accounts:delete", ("post",), signed_in(200)),  # not confirmed: nothing deleted
    WriteRow(
        "accounts:tokens",
        ("post",),
        signed_in(200),
        changes=who(PERSONS[1:], ("accounts.ApiToken", ACTIVITY)),
        data={"name": "script"},
    ),
    WriteRow("accounts:token_revoke", ("post",), signed_in("→/me/tokens/")),  # someone else's: nothing
    WriteRow(
        "api-me-profile",
        ("patch",),
        everyone(200, anonymous=401, unverified=403),
        changes=who(PERSONS[2:], ("accounts.Profile",)),  # their own profile, saved as it was
        data={},
        json=True,
    ),
    # --- roles: applying, withdrawing, leaving, reviewing, invitations -----------------------------
    WriteRow(
        "roles:apply",
        ("post",),
        # Refused ones see the form's error: unverified, already a member, the group's chair, and the
        # volunteer, whose application to the group is pending.
        signed_in(MINE, unverified=200, volunteer=200, member=200, chair=200),
        changes=who(("other_chair", "advisor", "organizer"), ("roles.Application", ACTIVITY, OUTBOX)),
        data=lambda world: {"working_group": world.group.pk, "motivation": "I can help."},
    ),
    WriteRow(
        "roles:withdraw_application",
        ("post",),
        signed_in(404, volunteer=MINE),
        changes=who(("volunteer",), ("roles.Application", ACTIVITY)),
    ),
    WriteRow(
        "roles:decide_application",
        ("post",),
        signed_in(404, chair=MANAGE, organizer=MANAGE),
        changes=who(("chair", "organizer"), ("roles.Application", "roles.Participation", ACTIVITY, OUTBOX)),
        data={"decision": "approve", "note": "Welcome"},
    ),
    WriteRow(
        "roles:leave",
        ("post",),
        signed_in(404, member=MINE),
        changes=who(("member",), ("roles.Participation", ACTIVITY)),
    ),
    WriteRow(
        "roles:invitation",
        ("post",),
        # Only the invited address, verified, accepts (issue 12): every other account is sent back to
        # the invitation page, which says the invitation is not theirs, and nothing changes.
        everyone("→/roles/invitations/invitation-token-of-the-group/", anonymous=200),
    ),
    # --- the chairs' area ----------------------------------------------------------------------------
    WriteRow("working_groups:create", ("post",), only(("organizer",), 200, 403)),  # empty form: errors
    WriteRow("working_groups:edit", ("post",), only(("chair", "organizer"), 200, 403)),  # empty form
    WriteRow(
        "working_groups:progress_create",
        ("post",),
        only(("chair", "organizer"), "→/groups/data-governance/", 403),
        changes=who(("chair", "organizer"), ("working_groups.ProgressUpdate",)),
        data={"title": "What we did", "body": "A dataset card."},
    ),
    WriteRow(
        "working_groups:member_remove",
        ("post",),
        only(("chair", "organizer"), MANAGE, 403),
        changes=who(("chair", "organizer"), ("roles.Participation", ACTIVITY, OUTBOX)),
        data={"reason": "Gone quiet"},
    ),
    WriteRow(
        # The chair rule: only organizers make a co-chair.
        "working_groups:member_chair",
        ("post",),
        only(("organizer",), MANAGE, 403),
        changes=who(("organizer",), ("roles.Participation", ACTIVITY, OUTBOX)),
        data={"chair": "yes"},
    ),
    WriteRow(
        "working_groups:appoint_chair",
        ("post",),
        only(("organizer",), MANAGE, 403),
        changes=who(("organizer",), ("roles.Participation", ACTIVITY, OUTBOX)),
        data={"email": "volunteer@example.org"},
    ),
    WriteRow(
        "working_groups:invite",
        ("post",),
        only(("chair", "organizer"), MANAGE, 403),
        changes=who(("chair", "organizer"), ("roles.Invitation", ACTIVITY, OUTBOX)),
        data={"email": "newcomer@example.org"},
    ),
    WriteRow(
        "working_groups:invitation_resend",
        ("post",),
        only(("chair", "organizer"), MANAGE, 403),
        changes=who(("chair", "organizer"), ("roles.Invitation", ACTIVITY, OUTBOX)),
    ),
    WriteRow(
        "working_groups:invitation_withdraw",
        ("post",),
        only(("chair", "organizer"), MANAGE, 403),
        changes=who(("chair", "organizer"), ("roles.Invitation", ACTIVITY)),
    ),
    # --- events: registration, then the organizers' schedule editor ---------------------------------
    WriteRow(
        "events:register",
        ("post",),
        signed_in(EVENT_PAGE),  # refused (unverified) and repeated (volunteer) registrations too
        changes=who(
            ("member", "chair", "other_chair", "advisor", "organizer"), ("events.Registration", ACTIVITY, OUTBOX)
        ),
    ),
    WriteRow(
        "events:cancel",
        ("post",),
        signed_in(404, volunteer=EVENT_PAGE),
        changes=who(("volunteer",), ("events.Registration", ACTIVITY)),
    ),
    WriteRow("events:session_register", ("post",), signed_in(EVENT_PAGE)),  # no capacity of its own
    WriteRow("events:session_cancel", ("post",), signed_in(404)),
    WriteRow(
        "events:my_calendar_reset",
        ("post",),
        signed_in("→/events/my-calendar/"),
        changes={
            **who(PERSONS[1:], ("events.CalendarToken",)),  # created the first time
            "volunteer": ("events.CalendarToken", ACTIVITY),  # renewed: recorded
        },
    ),
    WriteRow("events:create", ("post",), only(("organizer",), 200, 403)),  # empty form: errors
    WriteRow("events:edit", ("post",), only(("organizer",), 200, 403)),
    WriteRow("events:message", ("post",), only(("organizer",), 200, 403)),
    WriteRow("events:session_create", ("post",), only(("organizer",), 200, 403)),
    WriteRow("events:session_edit", ("post",), only(("organizer",), 200, 403)),
    WriteRow("events:poster_add", ("post",), only(("organizer",), 200, 403)),
    WriteRow(
        "events:publish",
        ("post",),
        only(("organizer",), EVENT_MANAGE, 403),
        changes=who(("organizer",), ("events.Event", ACTIVITY)),
        data={"published": "0"},
    ),
    WriteRow(
        "events:session_delete",
        ("post",),
        only(("organizer",), EVENT_MANAGE, 403),
        changes=who(("organizer",), ("events.Session", ACTIVITY)),
    ),
    WriteRow(
        "events:poster_delete",
        ("post",),
        only(("organizer",), "→/events/launch-event/sessions/{poster_session}/edit/", 403),
        changes=who(("organizer",), ("events.Poster", ACTIVITY)),
    ),
    WriteRow(
        "events:registration_cancel",
        ("post",),
        only(("organizer",), EVENT_MANAGE, 403),
        changes=who(("organizer",), ("events.Registration", ACTIVITY)),
    ),
    # --- news and the newsletter ---------------------------------------------------------------------
    WriteRow("newsletter:news_create", ("post",), only(("organizer",), 200, 403)),  # empty form
    WriteRow("newsletter:news_edit", ("post",), only(("organizer",), 200, 403)),
    WriteRow("newsletter:issue_edit", ("post",), only(("organizer",), 200, 403)),
    WriteRow("newsletter:issue_draft", ("post",), only(("organizer",), "→/news/manage/", 403)),
    WriteRow(
        # Approving a draft with nothing in it is refused with a message: nothing changes.
        "newsletter:issue_action",
        ("post",),
        only(("organizer",), "→/news/manage/{draft_issue}/", 403),
    ),
    WriteRow(
        "newsletter:issue_detail",
        ("post",),
        everyone(
            403, anonymous=404, unverified=404, volunteer=404, advisor="→/news/issues/7/", organizer="→/news/issues/7/"
        ),
        changes=who(("advisor", "organizer"), ("newsletter.Feedback",)),
        data={"body": "Thank you for this issue."},
    ),
    WriteRow("newsletter:subscribe", ("post",), everyone("→/news/preferences/", anonymous=200)),  # empty form
    WriteRow("newsletter:confirm", ("post",), everyone(400)),
    WriteRow(
        "newsletter:unsubscribe",
        ("post",),
        everyone(200),
        changes=who(PERSONS, ("newsletter.Subscription",)),  # the advisor's link works for whoever holds it
    ),
    WriteRow(
        "newsletter:resubscribe",
        ("post",),
        everyone(200),
        changes=who(PERSONS, ("newsletter.Subscription",)),  # the advisor's signed link, like unsubscribe
    ),
    WriteRow(
        "newsletter:preferences",
        ("post",),
        signed_in("→/news/preferences/"),
        changes=who(PERSONS[1:], ("newsletter.Subscription",)),
        data={"newsletter": "stop"},
    ),
    # --- the API -------------------------------------------------------------------------------------
    WriteRow(
        "my-application-list",
        ("post",),
        # 409: the volunteer's application is pending, the member holds the role, the chair chairs the group.
        everyone(201, anonymous=401, unverified=403, volunteer=409, member=409, chair=409),
        changes=who(("other_chair", "advisor", "organizer"), ("roles.Application", ACTIVITY, OUTBOX)),
        data=lambda world: {"role": "participant", "working_group": world.group.slug, "motivation": "I can help."},
        json=True,
    ),
    WriteRow(
        "my-application-withdraw",
        ("post",),
        everyone(404, **API_ONLY_404, volunteer=200),
        changes=who(("volunteer",), ("roles.Application", ACTIVITY)),
        json=True,
    ),
    WriteRow(
        "my-participation-leave",
        ("post",),
        everyone(404, **API_ONLY_404, member=200),
        changes=who(("member",), ("roles.Participation", ACTIVITY)),
        json=True,
    ),
    WriteRow(
        "my-registration-list",
        ("post",),
        everyone(201, anonymous=401, unverified=403),  # the volunteer's existing registration, unchanged
        changes=who(
            ("member", "chair", "other_chair", "advisor", "organizer"), ("events.Registration", ACTIVITY, OUTBOX)
        ),
        data={"event": "launch-event"},
        json=True,
    ),
    WriteRow(
        "my-registration-cancel",
        ("post",),
        everyone(404, **API_ONLY_404, volunteer=200),
        changes=who(("volunteer",), ("events.Registration", ACTIVITY)),
        json=True,
    ),
    WriteRow(
        "application-decide",
        ("post",),
        everyone(404, **API_ONLY_404, chair=200, organizer=200),
        changes=who(("chair", "organizer"), ("roles.Application", "roles.Participation", ACTIVITY, OUTBOX)),
        data={"decision": "approve", "note": "Welcome"},
        json=True,
    ),
    WriteRow(
        "participation-remove",
        ("post",),
        everyone(404, **API_ONLY_404, chair=200, organizer=200),
        changes=who(("chair", "organizer"), ("roles.Participation", ACTIVITY, OUTBOX)),
        data={"reason": "Gone quiet"},
        json=True,
    ),
    WriteRow(
        # The chair rule through the API: the member's chair sees the seat but may not promote it.
        "participation-chair",
        ("post",),
        everyone(404, **API_ONLY_404, chair=403, organizer=200),
        changes=who(("organizer",), ("roles.Participation", ACTIVITY, OUTBOX)),
        data={"chair": True},
        kwargs=lambda world: {"pk": world.objects["membership"].pk},
        json=True,
    ),
    WriteRow(
        "newsletter-issue-feedback",
        ("post",),
        everyone(403, anonymous=401, volunteer=404, advisor=201, organizer=201),
        changes=who(("advisor", "organizer"), ("newsletter.Feedback",)),
        data={"body": "Thank you for this issue."},
        json=True,
    ),
]

# Patterns whose writes are not in this table, and why.
EXEMPT = {
    # allauth's own forms (sign in and up, e-mail addresses, passwords, third-party accounts):
    # tests/security/test_authentication.py and tests/accounts cover them.
    "allauth": (
        "account_",
        "socialaccount_",
        "accounts/social/",
    ),
}


def is_exempt(key: str) -> bool:
    return key.startswith(EXEMPT["allauth"]) or key.startswith("admin")


def all_writes() -> list[WriteRow]:
    from . import rows as feature_rows

    return WRITES + feature_rows.writes()
