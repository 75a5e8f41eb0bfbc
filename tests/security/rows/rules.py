"""Rows of the chair rule's API action (making a co-chair, stepping down)."""

from ..url_table import API_POST_ONLY, Row

ROWS = [
    Row("participation-chair", API_POST_ONLY, kwargs=lambda world: {"pk": world.objects["membership"].pk}),
]
