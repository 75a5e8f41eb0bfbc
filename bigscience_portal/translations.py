"""The translation catalogues: compiled from the committed .po files without GNU gettext.

``locale/<code>/LC_MESSAGES/*.po`` are committed; the ``.mo`` files Django reads are built from them by
``manage.py compile_translations`` (run by ``make install``, ``make run`` and ``make test``) and are
not committed. polib is pure Python, so a machine without ``msgfmt`` can build them too.
"""

import os
import tempfile
from pathlib import Path

import polib
from django.conf import settings


def catalogues() -> list[Path]:
    """Every committed catalogue of the project (not Django's or allauth's, which ship their own)."""
    return sorted(p for root in settings.LOCALE_PATHS for p in Path(root).glob("*/LC_MESSAGES/*.po"))


def compile_catalogue(po_path: Path, *, force: bool = False) -> bool:
    """Write ``po_path``'s .mo beside it when missing or older; True when written.

    The file is written under another name and renamed, so parallel test workers never read half of it.
    Fuzzy entries are left out, as msgfmt does.
    """
    mo_path = po_path.with_suffix(".mo")
    if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        return False
    catalogue = polib.pofile(str(po_path))
    handle, temporary = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
    os.close(handle)
    try:
        catalogue.save_as_mofile(temporary)
        os.replace(temporary, mo_path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return True


def compile_all(*, force: bool = False) -> list[Path]:
    return [po for po in catalogues() if compile_catalogue(po, force=force)]
