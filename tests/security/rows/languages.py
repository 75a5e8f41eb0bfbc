"""URL-table rows of issue 14 (English and French): the header's language switcher."""

from ..url_table import PERSONS, Row, everyone
from ..write_table import WriteRow, who

ROWS = [
    Row("set_language", everyone(405), kwargs=lambda world: {}),
]

WRITES = [
    # Back to the page named in ``next``; a signed-in person's choice is kept in their profile.
    WriteRow(
        "set_language",
        ("post",),
        everyone("→/events/"),
        changes=who(PERSONS[1:], ("accounts.Profile",)),
        data={"language": "fr", "next": "/events/"},
        kwargs=lambda world: {},
    ),
]
