import uuid

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import search as portal_search
from . import selectors
from .middleware import current_database_error, database_unavailable_response


def home(request):
    return render(request, "home.html", selectors.home_page_data())


@require_GET
def search(request):
    """One box in the header: results grouped by kind, from every app's registered provider."""
    query = portal_search.clean_query(request.GET.get("q"))
    sections = portal_search.search_all(query) if query else []
    return render(
        request,
        "search/search_results.html",
        {"query": query, "sections": sections, "kinds": [p.label for p in portal_search.providers()]},
    )


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure is reported, never raised
        return f"{type(exc).__name__}: {exc}"[:200]
    return None


def _check_cache() -> str | None:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, 10)
        ok = cache.get(key) == value
        cache.delete(key)
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {exc}"[:200]
    return None if ok else "the cache did not return what was written"


def _check_broker() -> str | None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None  # tasks run in-process: there is no broker to reach
    from kombu import Connection

    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            connect_timeout=1,
            transport_options={"socket_connect_timeout": 1, "socket_timeout": 1},
        ) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {exc}"[:200]
    return None


@never_cache
def healthz(request):
    """Say whether the database, the cache and the broker answer: 200 if all do, else 503."""
    errors = {"database": _check_database(), "cache": _check_cache(), "broker": _check_broker()}
    body = {
        "status": "ok" if not any(errors.values()) else "unavailable",
        "checks": {name: ("ok" if error is None else "error") for name, error in errors.items()},
        "failing": [name for name, error in errors.items() if error],
        "errors": {name: error for name, error in errors.items() if error},
    }
    if settings.CELERY_TASK_ALWAYS_EAGER:
        body["checks"]["broker"] = "in-process"
    return JsonResponse(body, status=200 if not body["failing"] else 503)


@never_cache
def livez(request):
    """The trivial view: proves the process answers, touches nothing (benchmark baseline)."""
    return HttpResponse("ok", content_type="text/plain")


def admin_login(request):
    """The admin's sign-in is allauth's, so one set of brute-force limits and checks guards both."""
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect("admin:index")
        raise PermissionDenied(_("Signed in, but the admin is for organizers only."))
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), login_url=reverse("account_login"))


def _api_error(request, status: int, detail: str, code: str):
    """Under /api/ every error is JSON like the endpoints' own, whatever raised it."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": detail, "code": code}, status=status)
    return None


def error_400(request, exception=None):
    return _api_error(request, 400, "Bad request.", "invalid") or HttpResponseBadRequest(
        render_to_string("400.html", {"problem": "The request could not be understood."})
    )


def error_403(request, exception=None):
    return _api_error(
        request, 403, "You do not have permission to perform this action.", "permission_denied"
    ) or render(request, "403.html", status=403)


def error_404(request, exception=None):
    return _api_error(request, 404, "Not found.", "not_found") or render(request, "404.html", status=404)


def error_500(request):
    # A database that went away while a middleware loaded the session or the user (before any view):
    # the same 503 as a view's database error gets, page or API.
    if current_database_error() is not None:
        return database_unavailable_response(request)
    # Rendered without the request: no context processor may touch a database that is failing.
    return _api_error(request, 500, "A server error occurred.", "error") or HttpResponseServerError(
        render_to_string("500.html")
    )
