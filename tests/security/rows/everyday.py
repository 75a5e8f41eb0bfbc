"""URL-table rows of issue 13 (first contact and everyday use): search, the Organization Committee, the
newsletter's delivery ledger."""

from ..url_table import ORGANIZERS, Row, everyone
from ..write_table import WriteRow

ROWS = [
    Row("search", everyone(200), kwargs=lambda world: {}),
    Row("roles:organization", everyone(200), kwargs=lambda world: {}),
    Row("events:hosts", ORGANIZERS, kwargs=lambda world: {}),
    Row("newsletter:issue_deliveries", ORGANIZERS, kwargs=lambda world: {"pk": world.objects["issue"].pk}),
]


WRITES = [
    WriteRow("events:hosts", ("post",), ORGANIZERS, kwargs=lambda world: {}),  # empty form: errors, nothing saved
]
