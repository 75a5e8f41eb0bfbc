"""Outputs and credit: the public pages and exports, the chairs' pages, a person's confirmation and credits."""

from ..url_table import LOGIN, MANAGERS, Row, everyone, only, signed_in
from ..write_table import ACTIVITY, WriteRow, who

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


# --- writes ---------------------------------------------------------------------------------------
# The world's output belongs to the chair's group: its chair and the organizers manage it; the other
# group's chair may register outputs for their own group only.


CONTRIBUTORS_PAGE = "→/outputs/world-paper/contributors/"
MANAGER_PEOPLE = ("chair", "organizer")


def _new_output(world) -> dict:
    return {
        "kind": "paper",
        "title": "A second paper",
        "status": "published",
        "date": "2022-05-01",
        "working_groups": [world.group.pk],
    }


def _edited_output(world) -> dict:
    return {
        "kind": "paper",
        "title": "A paper of the group, revised",
        "status": "published",
        "working_groups": [world.group.pk],
    }


WRITES = [
    WriteRow(
        "credit:output_create",
        ("post",),
        # The other group's chair may register outputs, but not for a group they do not chair: the
        # form says so and nothing is saved.
        only(MANAGER_PEOPLE, "→/outputs/a-second-paper/contributors/", 403, other_chair=200),
        changes=who(MANAGER_PEOPLE, ("credit.Output", ACTIVITY)),  # its groups: a table no model names
        data=_new_output,
    ),
    WriteRow(
        "credit:output_edit",
        ("post",),
        only(MANAGER_PEOPLE, "→/outputs/world-paper/", 403),
        changes=who(MANAGER_PEOPLE, ("credit.Output", ACTIVITY)),
        data=_edited_output,
        kwargs=_output,
    ),
    WriteRow(
        # Nobody picked: the managers are sent back with a message, nothing changes.
        "credit:contributors_pick",
        ("post",),
        only(MANAGER_PEOPLE, CONTRIBUTORS_PAGE, 403),
        kwargs=_output,
    ),
    WriteRow(
        "credit:contributor_add",
        ("post",),
        only(MANAGER_PEOPLE, CONTRIBUTORS_PAGE, 403),
        changes=who(MANAGER_PEOPLE, ("credit.Contributor", ACTIVITY)),
        data={"name": "Outside Helper", "roles": ["software"]},
        kwargs=_output,
    ),
    WriteRow(
        "credit:contributor_edit",
        ("post",),
        only(MANAGER_PEOPLE, CONTRIBUTORS_PAGE, 403),
        changes=who(MANAGER_PEOPLE, ("credit.Contributor", ACTIVITY)),
        data={"name": "Member of the group", "roles": ["software", "writing_original_draft"], "corresponding": "on"},
        kwargs=_entry,
    ),
    WriteRow(
        # The first place already: the list stays as it is.
        "credit:contributor_move",
        ("post",),
        only(MANAGER_PEOPLE, CONTRIBUTORS_PAGE, 403),
        data={"position": "1"},
        kwargs=_entry,
    ),
    WriteRow(
        "credit:contributor_remove",
        ("post",),
        only(MANAGER_PEOPLE, CONTRIBUTORS_PAGE, 403),
        changes=who(MANAGER_PEOPLE, ("credit.Contributor", ACTIVITY)),
        kwargs=_entry,
    ),
    WriteRow(
        # Everyone signed in chooses for themselves; the member's credits are public already.
        "credit:mine",
        ("post",),
        signed_in("→/credits/me/"),
        changes=who(
            ("unverified", "volunteer", "chair", "other_chair", "advisor", "organizer"),
            ("credit.CreditSettings", ACTIVITY),
        ),
        data={"public": "on"},
    ),
    WriteRow(
        # Only the person named by the entry confirms it; to anyone else it does not exist.
        "credit:confirm",
        ("post",),
        only(("member",), "→/credits/me/", 404),
        changes=who(("member",), ("credit.Contributor", ACTIVITY)),
        data={"name": "Member of the group", "listed": "on"},
        kwargs=_confirm,
    ),
]
