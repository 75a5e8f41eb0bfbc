"""Outputs and credit: the public pages and exports, the chairs' pages, a person's confirmation and credits."""

from ..url_table import LOGIN, MANAGERS, Row, everyone, only, signed_in

CHAIRS_AND_ORGANIZERS = only(("chair", "other_chair", "organizer"), 200, 403)


def _output(world) -> dict:
    return {"slug": world.objects["credit_output"].slug}


def _entry(world) -> dict:
    return {"slug": world.objects["credit_output"].slug, "pk": world.objects["credit_entry"].pk}


def _confirm(world) -> dict:
    return {"pk": world.objects["credit_entry"].pk}


def _person(world) -> dict:
    return {"pk": world.people["member"].pk}


ROWS = [
    Row("credit:output_list", everyone(200)),
    Row("credit:output_create", CHAIRS_AND_ORGANIZERS),
    Row("credit:output_detail", everyone(200), kwargs=_output),
    Row("credit:output_edit", MANAGERS, kwargs=_output),
    Row("credit:contributors", MANAGERS, kwargs=_output),
    Row("credit:contributors_pick", signed_in(405), kwargs=_output),
    Row("credit:contributor_add", MANAGERS, kwargs=_output),
    Row("credit:contributor_edit", MANAGERS, kwargs=_entry),
    Row("credit:contributor_move", signed_in(405), kwargs=_entry),
    Row("credit:contributor_remove", signed_in(405), kwargs=_entry),
    *(
        Row(f"credit:export_{fmt}", everyone(200), kwargs=_output)
        for fmt in ("text", "latex", "bibtex", "cff", "csv", "json", "statement")
    ),
    Row("credit:mine", signed_in(200)),
    Row("credit:confirm", only(("member",), 200, 404, anonymous=LOGIN), kwargs=_confirm),
    # The member made their credits public: everyone sees the page.
    Row("credit:person", everyone(200), kwargs=_person),
]


def build(world) -> None:
    from credit.models import Contributor, CreditSettings, Output

    output = Output.objects.create(slug="world-paper", title="A paper of the group", kind="paper", is_public=True)
    output.working_groups.set([world.group])
    world.objects["credit_output"] = output
    world.objects["credit_entry"] = Contributor.objects.create(
        output=output, position=1, user=world.people["member"], name="Member of the group", roles=["software"]
    )
    CreditSettings.objects.create(user=world.people["member"], public=True)
