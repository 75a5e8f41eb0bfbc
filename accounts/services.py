import importlib
import importlib.util
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from .models import Profile, User


def ensure_profile(*, user: User) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def start_profile(*, user: User, display_name: str, time_zone: str | None) -> Profile:
    """Create the profile of a new account with the name typed at sign-up and the browser's zone.

    Side effects: none beyond the row.
    """
    profile = ensure_profile(user=user)
    profile.display_name = display_name[:100]
    if time_zone:
        profile.time_zone = time_zone
    profile.full_clean()
    profile.save()
    user.__dict__.pop("display_name", None)
    return profile


@transaction.atomic
def update_profile(*, user: User, data: dict, languages) -> Profile:
    """Save the profile fields and the languages spoken. No side effects beyond the row."""
    profile = ensure_profile(user=user)
    for field, value in data.items():
        setattr(profile, field, value)
    profile.full_clean()
    profile.save()
    profile.languages.set(languages)
    user.__dict__.pop("display_name", None)
    return profile


def export_user_data(*, user: User) -> str:
    """Everything the portal holds about a person, as JSON (the data-export page)."""
    from django.apps import apps

    profile = ensure_profile(user=user)
    data = {
        "account": {"email": user.email, "date_joined": user.date_joined, "last_login": user.last_login},
        "profile": {
            "display_name": profile.display_name,
            "affiliation": profile.affiliation,
            "country": str(profile.country),
            "languages": [lang.code for lang in profile.languages.all()],
            "time_zone": profile.time_zone,
            "expertise": profile.expertise,
            "show_in_directory": profile.show_in_directory,
        },
    }
    # Each app may add what it holds about the person through an ``export_for(user)`` selector.
    for config in apps.get_app_configs():
        if importlib.util.find_spec(f"{config.name}.selectors") is None:
            continue
        export = getattr(importlib.import_module(f"{config.name}.selectors"), "export_for", None)
        if export is not None:
            data[config.label] = export(user)
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2)


@transaction.atomic
def delete_account(*, user: User) -> None:
    """Delete the account and everything attached to it; its sessions end with it."""
    user.delete()
