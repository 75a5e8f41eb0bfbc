"""The French catalogue is complete: every string marked in the code has a French entry, none empty or fuzzy.

Adding a string to a template or to Python code without translating it fails here: run
``manage.py makemessages -l fr`` (see the README's "Languages"), translate, commit the .po.
"""

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

from bigscience_portal.translations import catalogues

BASE = Path(settings.BASE_DIR)
FRENCH = BASE / "locale" / "fr" / "LC_MESSAGES" / "django.po"
# What makemessages must not read: the virtualenv, run-time files, the tests.
IGNORED = [".venv", "var", "bench", "tests", "node_modules", "static/*"]
# Not copied for the check: what makemessages would ignore anyway, and the large or generated folders.
COPY_IGNORED = [".git", ".venv", "var", "bench", "tests", "node_modules", "static", "*.mo", "__pycache__", "docs"]
PLACEHOLDER = r"%\([^)]+\)[sd]"


def _key(entry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def _committed() -> polib.POFile:
    return polib.pofile(str(FRENCH))


def test_every_language_but_english_has_a_committed_catalogue():
    codes = {code for code, _ in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    assert {path.parts[-3] for path in catalogues() if path.name == "django.po"} == codes


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext's xgettext (apt-get install gettext)")
def test_every_marked_string_is_in_the_french_catalogue(tmp_path, settings, monkeypatch):
    """makemessages over a copy of the code and the catalogue: any msgid it finds that the committed
    catalogue lacks is untranslated. A copy, because makemessages writes into the ``locale`` folder
    beside the files it reads, and the committed catalogue must stay as it is."""
    before = FRENCH.read_bytes()
    tree = tmp_path / "portal"
    shutil.copytree(BASE, tree, ignore=shutil.ignore_patterns(*COPY_IGNORED))
    copy = tree / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    assert copy.exists()
    settings.LOCALE_PATHS = [tree / "locale"]
    monkeypatch.chdir(tree)
    call_command("makemessages", locale=["fr"], ignore_patterns=IGNORED, no_obsolete=True, verbosity=0)
    assert FRENCH.read_bytes() == before, "the check must never rewrite the committed catalogue"
    extracted = {_key(entry) for entry in polib.pofile(str(copy)) if not entry.obsolete}
    committed = {_key(entry) for entry in _committed() if not entry.obsolete}
    assert sorted(extracted - committed) == [], "marked for translation but missing from locale/fr/.../django.po"
    assert sorted(committed - extracted) == [], "in the French catalogue but no longer in the code: run makemessages"


def test_no_french_entry_is_empty_or_fuzzy():
    catalogue = _committed()
    assert not catalogue.metadata_is_fuzzy
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert [e.msgid for e in catalogue if "fuzzy" in e.flags] == []
    assert [e.msgid for e in catalogue if not e.translated()] == []


def test_french_entries_keep_the_placeholders_of_the_english():
    import re

    broken = []
    for entry in _committed():
        if entry.msgid_plural:
            wanted = set(re.findall(PLACEHOLDER, entry.msgid_plural))
            # French's singular may spell the number out ("Un chevauchement"), never invent a placeholder
            forms = [(set(re.findall(PLACEHOLDER, text)), i) for i, text in entry.msgstr_plural.items()]
            broken += [entry.msgid for found, i in forms if (found != wanted if i else not found <= wanted)]
        elif set(re.findall(PLACEHOLDER, entry.msgid)) != set(re.findall(PLACEHOLDER, entry.msgstr)):
            broken.append(entry.msgid)
    assert broken == []


def test_the_catalogue_compiles_with_msgfmt_when_it_is_there(tmp_path):
    """polib compiles it for the portal; GNU msgfmt's stricter checks (format strings) must agree."""
    if shutil.which("msgfmt") is None:
        pytest.skip("needs GNU gettext's msgfmt (apt-get install gettext)")
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(FRENCH)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
