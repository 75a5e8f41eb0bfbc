"""The languages people can say they speak: ISO 639-1 languages, by English name."""

import pycountry


def iso_639_1() -> list[tuple[str, str]]:
    return [(lang.alpha_2, lang.name) for lang in pycountry.languages if hasattr(lang, "alpha_2")]


def seed_languages(language_model=None) -> int:
    """Add the languages that are missing; returns how many were added. Safe to run again."""
    if language_model is None:
        from .models import Language as language_model
    existing = set(language_model.objects.values_list("code", flat=True))
    missing = [language_model(code=code, name=name) for code, name in iso_639_1() if code not in existing]
    language_model.objects.bulk_create(missing)
    return len(missing)
