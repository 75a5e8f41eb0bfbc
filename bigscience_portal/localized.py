"""Content written by people in more than one language: a French field beside the English one.

A model that offers a translation of ``title`` has ``title_fr`` beside it (blank when nobody wrote it).
Readers get their language when it is written, else the English text; ``untranslated`` says when that
happened, so a page or an e-mail can add a short "(not translated yet)".
"""

from django.conf import settings
from django.utils import translation


def _code(language: str | None) -> str:
    return (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def localized(obj, field: str, language: str | None = None) -> str:
    """``obj.<field>`` in ``language`` (by default the active one) when written, else the English text."""
    code = _code(language)
    if code != settings.LANGUAGE_CODE:
        translated = getattr(obj, f"{field}_{code}", "")
        if translated:
            return translated
    return getattr(obj, field)


def untranslated(obj, field: str, language: str | None = None) -> bool:
    """True when ``obj`` offers ``field`` in this language but nobody wrote it yet (the English shows)."""
    code = _code(language)
    if code == settings.LANGUAGE_CODE or not hasattr(obj, f"{field}_{code}"):
        return False
    return bool(getattr(obj, field)) and not getattr(obj, f"{field}_{code}")
