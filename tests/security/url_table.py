"""Every URL pattern of the site and the API, and what each kind of person gets from a GET.

An answer is the status code, or ``"→/path"`` for a redirect (the query string left out).
``test_every_url_pattern_has_a_row`` fails when a pattern is added without a row here: add one,
with the answer every kind of person should get.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import PERSONS

LOGIN = "→/accounts/login/"
ADMIN_LOGIN = "→/admin/login/"
HOME = "→/"


def everyone(answer, **overrides) -> dict:
    return {**dict.fromkeys(PERSONS, answer), **overrides}


def signed_in(answer, **overrides) -> dict:
    """Anonymous visitors are sent to the sign-in page; everyone signed in gets ``answer``."""
    return everyone(answer, **{"anonymous": LOGIN, **overrides})


def only(persons: tuple, answer, refused, **overrides) -> dict:
    """``persons`` get ``answer``; other signed-in people get ``refused``; visitors sign in."""
    table = signed_in(refused, **overrides)
    table.update(dict.fromkeys(persons, answer))
    table.update(overrides)
    return table


def api_only(persons: tuple) -> dict:
    """An API object that only ``persons`` may see: to anyone else it does not exist."""
    return only(persons, 200, 404, anonymous=401)


ORGANIZERS = only(("organizer",), 200, 403)
MANAGERS = only(("chair", "organizer"), 200, 403)  # the group's chairs and the organizers
API_SIGNED_IN = everyone(200, anonymous=401)
API_POST_ONLY = everyone(405, anonymous=401)


@dataclass(frozen=True)
class Row:
    key: str  # "namespace:name" for a named pattern, the route for an unnamed one
    get: dict | Callable  # person -> answer, or a function of the world that returns it
    kwargs: Callable | None = None  # builds reverse()'s kwargs from the world; default: KWARGS[key]
    path: str | None = None  # for unnamed patterns, which reverse() cannot build

    def expected(self, world) -> dict:
        return self.get(world) if callable(self.get) else self.get

    def url(self, world) -> str:
        if self.path:
            return self.path
        build = self.kwargs or KWARGS.get(self.key) or (lambda world: {})
        return reverse(self.key, kwargs=build(world))


def _slug(attr):
    return lambda world: {"slug": getattr(world, attr).slug}


ROWS = [
    # the site itself
    Row("home", everyone(200)),
    Row("healthz", everyone(200)),
    Row("livez", everyone(200)),
    # allauth: signing in and up answers visitors; signed-in people are sent on
    Row("account_login", everyone("→/me/profile/", anonymous=200)),
    Row("account_logout", everyone(200, anonymous=HOME)),
    Row("account_inactive", everyone(200)),
    Row("account_signup", everyone("→/me/profile/", anonymous=200)),
    Row("account_reauthenticate", signed_in(200)),
    Row("account_email", signed_in(200)),
    Row("account_email_verification_sent", everyone(200)),
    Row("account_change_password", signed_in(200)),
    Row("account_set_password", signed_in("→/accounts/password/change/")),
    Row("account_reset_password", everyone(200)),
    Row("account_confirm_login_code", everyone("→/me/profile/", anonymous="→/accounts/login/code/")),
    Row("account_confirm_email", everyone(200), kwargs=lambda world: {"key": "no-such-key"}),
    Row("account_reset_password_from_key_done", everyone(200)),
    Row(
        "account_reset_password_from_key",
        everyone(200),
        kwargs=lambda world: {"uidb36": "zz", "key": "no-such-key"},
    ),
    Row("account_reset_password_done", everyone(200)),
    Row("socialaccount_login_cancelled", everyone(200)),
    Row("socialaccount_login_error", everyone(401)),
    Row("socialaccount_signup", everyone(LOGIN)),
    Row("socialaccount_connections", signed_in(200)),
    Row(
        "accounts/social/login/cancelled/",
        everyone("→/accounts/3rdparty/login/cancelled/"),
        path="/accounts/social/login/cancelled/",
    ),
    Row(
        "accounts/social/login/error/",
        everyone("→/accounts/3rdparty/login/error/"),
        path="/accounts/social/login/error/",
    ),
    Row("accounts/social/signup/", everyone("→/accounts/3rdparty/signup/"), path="/accounts/social/signup/"),
    Row("accounts/social/connections/", everyone("→/accounts/3rdparty/"), path="/accounts/social/connections/"),
    # the person's own account
    Row("accounts:profile", signed_in(200)),
    Row("accounts:export", signed_in(405)),
    Row("accounts:delete", signed_in(200)),
    Row("accounts:tokens", signed_in(200)),
    Row("accounts:token_revoke", signed_in(405)),
    Row("my_participation", signed_in(200)),
    # roles: public pages, then applying and reviewing
    Row("roles:list", everyone(200)),
    Row("roles:detail", everyone(200)),
    Row("roles:figures", everyone(200)),
    Row("roles:steering", everyone(200)),
    Row("roles:apply", signed_in(405)),
    Row("roles:withdraw_application", signed_in(405)),
    Row("roles:decide_application", signed_in(405)),
    Row("roles:leave", only(("member",), 200, 404)),
    Row("roles:invitation", everyone(200)),
    Row("roles:review", ORGANIZERS),
    Row("roles:history", ORGANIZERS),
    # working groups: public pages, then the chairs' area
    Row("working_groups:list", everyone(200)),
    Row("working_groups:detail", everyone(200)),
    Row("working_groups:create", ORGANIZERS),
    Row("working_groups:manage", MANAGERS),
    Row("working_groups:members_csv", MANAGERS),
    Row("working_groups:edit", MANAGERS),
    Row("working_groups:history", MANAGERS),
    Row("working_groups:progress_create", MANAGERS),
    Row("working_groups:member_remove", MANAGERS),
    Row("working_groups:member_chair", signed_in(405)),
    Row("working_groups:appoint_chair", signed_in(405)),
    Row("working_groups:invite", signed_in(405)),
    Row("working_groups:invitation_resend", signed_in(405)),
    Row("working_groups:invitation_withdraw", signed_in(405)),
    # events: public pages and feeds, registration, the organizers' schedule editor
    Row("events:list", everyone(200)),
    Row("events:detail", everyone(200)),
    Row("events:ics", everyone(200)),
    Row("events:public_feed", everyone(200)),
    Row("events:personal_feed", everyone(200)),
    Row("events:my_calendar", signed_in(200)),
    Row("events:my_calendar_reset", everyone(405)),
    Row("events:register", everyone(405)),
    Row("events:cancel", everyone(405)),
    Row("events:session_register", everyone(405)),
    Row("events:session_cancel", everyone(405)),
    Row("events:create", ORGANIZERS),
    Row("events:manage", ORGANIZERS),
    Row("events:edit", ORGANIZERS),
    Row("events:message", ORGANIZERS),
    Row("events:export", ORGANIZERS),
    Row("events:session_create", ORGANIZERS),
    Row("events:session_edit", ORGANIZERS),
    Row("events:publish", everyone(405)),
    Row("events:session_delete", everyone(405)),
    Row("events:poster_add", everyone(405)),
    Row("events:poster_delete", everyone(405)),
    Row("events:registration_cancel", everyone(405)),
    # news and the newsletter
    Row("newsletter:news_list", everyone(200)),
    Row("newsletter:news_detail", everyone(200)),
    Row("newsletter:news_feed", everyone(200)),
    Row("newsletter:news_create", ORGANIZERS),
    Row("newsletter:news_edit", ORGANIZERS),
    Row("newsletter:issue_list", everyone(200)),
    Row("newsletter:issue_detail", everyone(200, anonymous=404, unverified=404, volunteer=404)),
    Row("newsletter:feedback_list", only(("chair", "other_chair", "organizer"), 200, 403)),
    Row("newsletter:manage", ORGANIZERS),
    Row("newsletter:issue_draft", signed_in(405)),
    Row("newsletter:issue_manage", ORGANIZERS),
    Row("newsletter:issue_edit", ORGANIZERS),
    Row("newsletter:issue_preview_html", ORGANIZERS),
    Row("newsletter:issue_action", signed_in(405)),
    Row("newsletter:subscribe", everyone("→/news/preferences/", anonymous=200)),
    Row("newsletter:confirm", everyone(200)),
    Row("newsletter:unsubscribe", everyone(200)),
    Row("newsletter:resubscribe", everyone(405)),
    Row("newsletter:preferences", signed_in(200)),
    # the API: anonymous callers get 401 where an account is needed, others only their own rows
    Row("api-root", everyone(200)),
    Row("api-schema", everyone(200)),
    Row("api-docs", everyone(200)),
    Row("api-not-found", everyone(404), path="/api/no-such-endpoint/"),
    Row("api-me-profile", API_SIGNED_IN),
    Row("role-list", everyone(200)),
    Row("role-detail", everyone(200)),
    Row("working-group-list", everyone(200)),
    Row("working-group-detail", everyone(200)),
    Row("working-group-member-list", everyone(200)),
    Row("event-list", everyone(200)),
    Row("event-detail", everyone(200)),
    Row("session-list", everyone(200)),
    Row("session-detail", everyone(200)),
    Row("news-post-list", everyone(200)),
    Row("news-post-detail", everyone(200)),
    Row("newsletter-issue-list", everyone(200)),
    Row("newsletter-issue-detail", everyone(200, anonymous=404, unverified=404, volunteer=404)),
    Row("newsletter-issue-feedback", API_POST_ONLY),
    Row("my-application-list", API_SIGNED_IN),
    Row("my-application-detail", api_only(("volunteer",))),
    Row("my-application-withdraw", API_POST_ONLY),
    Row("my-participation-list", API_SIGNED_IN),
    Row("my-participation-detail", api_only(("member",))),
    Row("my-participation-leave", API_POST_ONLY),
    Row("my-registration-list", API_SIGNED_IN),
    Row("my-registration-detail", api_only(("volunteer",))),
    Row("my-registration-cancel", API_POST_ONLY),
    Row("application-list", API_SIGNED_IN),
    Row("application-detail", api_only(("chair", "organizer"))),
    Row("application-decide", API_POST_ONLY),
    Row("participation-list", API_SIGNED_IN),
    Row("participation-detail", api_only(("chair", "organizer"))),
    Row("participation-remove", API_POST_ONLY),
]


def _missing_object(world) -> dict:
    return {"object_id": 999_999}


def _organizer_may(model_admin, permission: str, answer) -> Callable:
    """Non-staff are sent to sign in; the organizer gets ``answer`` if the ModelAdmin allows, else 403."""

    def expected(world) -> dict:
        request = RequestFactory().get("/admin/")
        request.user = world.people["organizer"]
        allowed = getattr(model_admin, f"has_{permission}_permission")(request)
        return everyone(ADMIN_LOGIN, organizer=answer if allowed else 403)

    return expected


def _admin_rows() -> list[Row]:
    """The admin answers only staff; organizers see what their permissions allow."""
    rows = [
        Row("admin:index", everyone(ADMIN_LOGIN, organizer=200)),
        # signing in to the admin is allauth's sign-in; signed-in people who are not staff are refused
        Row("admin:login", everyone(403, anonymous=LOGIN, organizer="→/admin/")),
        Row("admin/login/", everyone(403, anonymous=LOGIN, organizer="→/admin/"), path="/admin/login/"),
        Row("admin:logout", everyone("→/admin/", organizer=405)),
        Row("admin:password_change", everyone(ADMIN_LOGIN, organizer=200)),
        Row("admin:password_change_done", everyone(ADMIN_LOGIN, organizer=200)),
        Row("admin:autocomplete", everyone(ADMIN_LOGIN, organizer=403)),
        Row("admin:jsi18n", everyone(ADMIN_LOGIN, organizer=200)),
        Row(
            "admin:view_on_site",
            everyone(ADMIN_LOGIN, organizer=404),
            kwargs=lambda world: {"content_type_id": 999_999, "object_id": 1},
        ),
        # organizers see every app's models, read-only (bigscience_portal/admin.py)
        Row("admin:app_list", everyone(ADMIN_LOGIN, organizer=200), kwargs=lambda world: {"app_label": "accounts"}),
        Row("admin/(?P<url>.*)$", everyone(ADMIN_LOGIN, organizer=404), path="/admin/no-such-page/"),
    ]
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        rows += [
            Row(f"{prefix}_changelist", _organizer_may(model_admin, "view_or_change", 200)),
            Row(f"{prefix}_add", _organizer_may(model_admin, "add", 200)),
            Row(f"{prefix}_change", _organizer_may(model_admin, "view_or_change", "→/admin/"), kwargs=_missing_object),
            Row(f"{prefix}_delete", _organizer_may(model_admin, "delete", "→/admin/"), kwargs=_missing_object),
            # the history of a missing object sends staff to the index before looking at permissions
            Row(f"{prefix}_history", everyone(ADMIN_LOGIN, organizer="→/admin/"), kwargs=_missing_object),
        ]
        # the old-style object URL, which redirects to the change page
        route = f"admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/"
        old_style = f"/{route.replace('<path:object_id>', '999999')}"
        rows.append(Row(route, everyone(ADMIN_LOGIN, organizer=f"→{old_style}change/"), path=old_style))
    rows.append(
        Row(
            "admin:auth_user_password_change",
            everyone(ADMIN_LOGIN, organizer=403),
            kwargs=lambda world: {"id": 999_999},
        )
    )
    return rows


def all_rows() -> list[Row]:
    from . import rows as feature_rows

    return ROWS + feature_rows.rows() + _admin_rows()


def pattern_keys(resolver=None, namespaces: tuple = (), prefix: str = "") -> set[str]:
    """Every URL pattern of the site: ``namespace:name`` for named ones, the route for the others."""
    keys = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            keys |= pattern_keys(pattern, inner, route)
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                keys.add(":".join((*namespaces, pattern.name)))
            else:
                keys.add(route)
    return keys


def _obj(name, attr="pk", kwarg="pk"):
    return lambda world: {kwarg: getattr(world.objects[name], attr)}


GROUP = _slug("group")
EVENT = _obj("event", "slug", "slug")


def _group_and(name):
    return lambda world: {"slug": world.group.slug, "pk": world.objects[name].pk}


def _event_and(name):
    return lambda world: {"slug": world.objects["event"].slug, "pk": world.objects[name].pk}


# How to build each pattern's URL from the world (patterns without arguments need none).
KWARGS = {
    "accounts:token_revoke": lambda world: {"pk": 999_999},
    "roles:detail": lambda world: {"slug": "participant"},
    "roles:apply": lambda world: {"slug": "participant"},
    "roles:withdraw_application": _obj("application"),
    "roles:decide_application": _obj("application"),
    "roles:leave": _obj("membership"),
    "roles:invitation": _obj("invitation", "token", "token"),
    "working_groups:detail": GROUP,
    "working_groups:manage": GROUP,
    "working_groups:members_csv": GROUP,
    "working_groups:edit": GROUP,
    "working_groups:history": GROUP,
    "working_groups:progress_create": GROUP,
    "working_groups:invite": GROUP,
    "working_groups:appoint_chair": GROUP,
    "working_groups:member_remove": _group_and("membership"),
    "working_groups:member_chair": _group_and("membership"),
    "working_groups:invitation_resend": _group_and("invitation"),
    "working_groups:invitation_withdraw": _group_and("invitation"),
    "events:personal_feed": _obj("calendar_token", "token", "token"),
    **{
        f"events:{name}": EVENT
        for name in (
            "detail",
            "ics",
            "register",
            "cancel",
            "manage",
            "edit",
            "publish",
            "message",
            "export",
            "session_create",
        )
    },
    **{
        f"events:{name}": _event_and("session")
        for name in ("session_edit", "session_delete", "session_register", "session_cancel", "poster_add")
    },
    "events:poster_delete": _event_and("poster"),
    "events:registration_cancel": _event_and("registration"),
    "role-detail": lambda world: {"slug": "participant"},
    "my-application-detail": _obj("application"),
    "my-application-withdraw": _obj("application"),
    "my-participation-detail": _obj("membership"),
    "my-participation-leave": _obj("membership"),
    "application-detail": _obj("application"),
    "application-decide": _obj("application"),
    "participation-detail": _obj("membership"),
    "participation-remove": _obj("membership"),
    "working-group-detail": GROUP,
    "working-group-member-list": lambda world: {"group_slug": world.group.slug},
    "event-detail": EVENT,
    "session-detail": _obj("session"),
    "my-registration-detail": _obj("registration"),
    "my-registration-cancel": _obj("registration"),
    "news-post-detail": _obj("news", "slug", "slug"),
    "newsletter-issue-detail": _obj("issue", "number", "number"),
    "newsletter-issue-feedback": _obj("issue", "number", "number"),
    "newsletter:news_detail": _obj("news", "slug", "slug"),
    "newsletter:news_edit": _obj("news", "slug", "slug"),
    "newsletter:issue_detail": _obj("issue", "number", "number"),
    "newsletter:issue_manage": _obj("draft_issue"),
    "newsletter:issue_edit": _obj("draft_issue"),
    "newsletter:issue_preview_html": _obj("draft_issue"),
    "newsletter:issue_action": lambda world: {"pk": world.objects["draft_issue"].pk, "action": "approve"},
    "newsletter:confirm": lambda world: {"token": world.objects["confirm_token"]},
    "newsletter:unsubscribe": lambda world: {"token": world.objects["unsubscribe_token"]},
    "newsletter:resubscribe": lambda world: {"token": world.objects["unsubscribe_token"]},
}
