from django.conf import settings


def portal(request):
    from roles.rules import is_organizer

    user = getattr(request, "user", None)
    return {
        "SITE_URL": settings.SITE_URL,
        "SITE_NAME": settings.SITE_NAME,
        "user_is_organizer": bool(user and user.is_authenticated and is_organizer(user)),
    }
