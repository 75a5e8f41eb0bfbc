import zoneinfo
from urllib.parse import unquote

from django.conf import settings
from django.utils import timezone, translation


def browser_time_zone(request) -> str | None:
    """The zone the browser reported in the ``tz`` cookie (written URL-encoded by site.js), if valid."""
    raw = request.COOKIES.get("tz")
    if not raw:
        return None
    name = unquote(raw)
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    return name


class UserTimezoneMiddleware:
    """Show times in the signed-in person's time zone (the profile's), else the browser's, else UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tz_name = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            profile = getattr(user, "profile", None)
            tz_name = profile.time_zone if profile else None
        if not tz_name:
            tz_name = browser_time_zone(request)
        try:
            timezone.activate(zoneinfo.ZoneInfo(tz_name)) if tz_name else timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)


class UserLanguageMiddleware:
    """Speak the signed-in person's language (the profile's) when they chose one.

    Placed after the authentication middleware; without a choice, LocaleMiddleware's answer stands
    (the switcher's cookie, else the browser's Accept-Language, else English).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            profile = getattr(user, "profile", None)
            language = profile.language if profile else ""
            if language and language in dict(settings.LANGUAGES):
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
