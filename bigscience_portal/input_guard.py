"""Input no page or endpoint can store or use is refused before any view sees it.

- A NUL character cannot be stored in PostgreSQL text (the driver raises), so one in the address is
  "not found" (no object has such a name), and one in a query string, a form, a JSON body or a cookie
  is a 400 that names it. SQLite would accept it, so the same rule holds on both databases.
- A time in a query string (``?starts_after=...``) must be one PostgreSQL can compare: a UTC offset
  within ±15:59, and a moment that stays within years 1 to 9999 once converted to UTC.

Answers under ``/api/`` are JSON like the API's own errors; pages get a short HTML page.
"""

import json
from datetime import UTC, datetime, timedelta, timezone

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.dateparse import datetime_re
from django.utils.translation import gettext as _

MAX_OFFSET = timedelta(hours=15, minutes=59)


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values)


def _nul_in_json(data) -> bool:
    if isinstance(data, str):
        return "\x00" in data
    if isinstance(data, dict):
        return any(_nul_in_json(key) or _nul_in_json(value) for key, value in data.items())
    if isinstance(data, list):
        return any(_nul_in_json(item) for item in data)
    return False


def time_problem(value: str) -> str | None:
    """Why this ISO 8601 date-time cannot be used in a query (None when it can, or is not one)."""
    match = datetime_re.match(value.strip())
    if not match:
        return None
    tzinfo = match.group("tzinfo")
    if not tzinfo or tzinfo == "Z":
        offset = timedelta(0)
    else:
        sign = -1 if tzinfo[0] == "-" else 1
        digits = tzinfo[1:].replace(":", "")
        offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
    if abs(offset) > MAX_OFFSET:
        return _("A UTC offset must be between -15:59 and +15:59.")
    try:
        year, month, day = (int(match.group(name)) for name in ("year", "month", "day"))
        moment = datetime(
            year, month, day, int(match.group("hour")), int(match.group("minute")), tzinfo=timezone(offset)
        )
        moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return _("This date and time does not exist, or falls outside the years 1 to 9999 in UTC.")
    return None


def input_problem(request) -> str | None:
    """What makes this request's input unusable, for a person to read; None when all is well."""
    if _has_nul(request.COOKIES.values()) or _has_nul(request.COOKIES):
        return _("A cookie contains a NUL character.")
    for key, values in request.GET.lists():
        if _has_nul([key, *values]):
            return _("The address's query string contains a NUL character (%00).")
        for value in values:
            problem = time_problem(value)
            if problem:
                return f"{key}: {problem}"
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        content_type = request.content_type or ""
        try:
            if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                if any(_has_nul([key, *values]) for key, values in request.POST.lists()):
                    return _("The form contains a NUL character.")
            elif content_type.endswith("json") and request.body and _nul_in_json(json.loads(request.body)):
                return _("The JSON body contains a NUL character (\\u0000).")
        except (ValueError, RequestDataTooBig, MultiPartParserError):
            return None  # malformed or too big: the view (or Django) answers that itself
    return None


class HostileInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            if is_api(request):
                return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
            raise Http404("NUL character in the address")
        problem = input_problem(request)
        if problem is None:
            return self.get_response(request)
        if is_api(request):
            return JsonResponse({"detail": str(problem), "code": "invalid"}, status=400)
        return HttpResponseBadRequest(render_to_string("400.html", {"problem": problem, "debug": settings.DEBUG}))
