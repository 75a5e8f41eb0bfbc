import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def is_database_error(exception: BaseException | None) -> bool:
    return isinstance(exception, DATABASE_ERRORS)


def database_unavailable_response(request) -> HttpResponse:
    """503 with Retry-After: JSON for the API, the 503 page otherwise; touches neither session nor user."""
    path = getattr(request, "path", "") or ""
    if path.startswith("/api/"):
        response = JsonResponse(
            {"detail": gettext("The service is unavailable for a moment. Try again shortly."), "code": "unavailable"},
            status=503,
        )
    else:
        # Rendered without the request: nothing here may touch the database again.
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def current_database_error() -> BaseException | None:
    """The database error being handled, if any (``handler500`` runs inside Django's ``except``)."""
    exception = sys.exc_info()[1]
    while exception is not None and not is_database_error(exception):
        exception = exception.__cause__ or exception.__context__
    return exception


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached (restarting, failing over) answers 503 with Retry-After, not 500.

    This catches what a view raises. What a middleware raises before the view (the session or the
    signed-in user loaded from the database) never reaches here: Django turns it into a response with
    ``handler500``, which is ``views.error_500`` and answers the same 503 for a database error.
    Django drops the broken connection at the end of the request, and ``CONN_HEALTH_CHECKS`` opens a
    fresh one on the next, so the site recovers by itself once the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_error(exception):
            return None
        logger.warning("Database unavailable for %s %s: %s", request.method, request.path, exception)
        return database_unavailable_response(request)
