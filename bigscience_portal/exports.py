"""Spreadsheet-safe CSV: the one way the portal writes a CSV export.

People type names, affiliations and titles; a spreadsheet program runs a cell that starts with
``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one) as a formula. Every text cell
that starts so is prefixed with an apostrophe, which spreadsheets show as text and hide.
"""

import csv
import functools
import io
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The cell as text, with an apostrophe in front when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def in_english(view):
    """Exports and calendar feeds read the same in every language: programs parse them, and a shared
    calendar or a citation must not change with the language of whoever downloaded it."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return view(request, *args, **kwargs)

    return wrapper


def csv_text(*, header: Iterable, rows: Iterable[Iterable]) -> str:
    """A CSV document of the header and rows, every cell through ``safe_cell``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def csv_response(*, filename: str, header: Iterable, rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV download of the header and rows (see ``csv_download``)."""
    return csv_download(filename=filename, text=csv_text(header=header, rows=rows))


def csv_download(*, filename: str, text: str) -> HttpResponse:
    """A CSV document made by ``csv_text`` as a download that no browser or proxy keeps (personal data)."""
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    add_never_cache_headers(response)
    return response
