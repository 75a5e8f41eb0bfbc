"""URL-table rows of issue 13 (first contact and everyday use): search, the Organization Committee, the
newsletter's delivery ledger."""

from ..url_table import ORGANIZERS, Row, everyone

ROWS = [
    Row("search", everyone(200), kwargs=lambda world: {}),
    Row("roles:organization", everyone(200), kwargs=lambda world: {}),
    Row("events:hosts", ORGANIZERS, kwargs=lambda world: {}),
    Row("newsletter:issue_deliveries", ORGANIZERS, kwargs=lambda world: {"pk": world.objects["issue"].pk}),
]
