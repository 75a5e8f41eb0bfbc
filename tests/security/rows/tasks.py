"""URL-table rows of the guided tasks (pages and API), and the objects they point at."""

from tests.security.url_table import API_POST_ONLY, API_SIGNED_IN, MANAGERS, Row, api_only, everyone, only, signed_in
from tests.security.write_table import ACTIVITY, OUTBOX, WriteRow, who


def build(world) -> None:
    from tasks.models import Claim, Contribution, GroupToken, Task

    common = {"summary": "s", "guidelines": "g", "amount_needed": 10, "work_url": "https://tool.example.org/"}
    world.objects["task"] = task = Task.objects.create(
        working_group=world.group, title="Describe sources", status=Task.Status.OPEN, **common
    )
    world.objects["draft_task"] = Task.objects.create(
        working_group=world.group, title="Draft task", status=Task.Status.DRAFT, **common
    )
    world.objects["task_claim"] = claim = Claim.objects.create(task=task, user=world.people["volunteer"])
    world.objects["contribution"] = Contribution.objects.create(
        task=task, claim=claim, user=world.people["volunteer"], items=3
    )
    world.objects["group_token"] = GroupToken.objects.create(
        working_group=world.group, action="read_claims", name="tool", prefix="bsg_abc", digest="0" * 64
    )


def _pk(name):
    return lambda world: {"pk": world.objects[name].pk}


def _group():
    return lambda world: {"slug": world.group.slug}


def _group_and(name):
    return lambda world: {"slug": world.group.slug, "pk": world.objects[name].pk}


TASK, DRAFT = _pk("task"), _pk("draft_task")
ROWS = [
    Row("tasks:board", everyone(200)),
    Row("tasks:languages", everyone(200)),
    # a draft is seen by its group's managers only: to anyone else it does not exist
    Row("tasks:detail", everyone(404, chair=200, organizer=200), kwargs=DRAFT),
    Row("tasks:claim", signed_in(405), kwargs=TASK),
    Row("tasks:edit", MANAGERS, kwargs=TASK),
    Row("tasks:copy", signed_in(405), kwargs=TASK),
    Row("tasks:status", signed_in(405), kwargs=TASK),
    Row("tasks:review", MANAGERS, kwargs=TASK),
    Row("tasks:reviewers", signed_in(405), kwargs=TASK),
    # a claim is its claimant's: to anyone else it does not exist
    Row("tasks:report", only(("volunteer",), 200, 404), kwargs=_pk("task_claim")),
    Row("tasks:release", signed_in(405), kwargs=_pk("task_claim")),
    Row("tasks:review_contribution", signed_in(405), kwargs=_pk("contribution")),
    Row("tasks:group_tasks", MANAGERS, kwargs=_group()),
    Row("tasks:create", MANAGERS, kwargs=_group()),
    Row("tasks:token_create", signed_in(405), kwargs=_group()),
    Row("tasks:token_revoke", signed_in(405), kwargs=_group_and("group_token")),
    # the API
    Row("task-list", everyone(200)),
    Row("task-detail", everyone(200), kwargs=TASK),
    Row("my-task-claim-list", API_SIGNED_IN),
    Row("my-task-claim-detail", api_only(("volunteer",)), kwargs=_pk("task_claim")),
    Row("my-task-claim-release", API_POST_ONLY, kwargs=_pk("task_claim")),
    Row("my-contribution-list", API_SIGNED_IN),
    Row("my-contribution-detail", api_only(("volunteer",)), kwargs=_pk("contribution")),
    Row("task-contribution-list", API_SIGNED_IN),
    Row("task-contribution-detail", api_only(("chair", "organizer")), kwargs=_pk("contribution")),
    Row("task-contribution-decide", API_POST_ONLY, kwargs=_pk("contribution")),
    # a group's tools authenticate with a group token only: a person's session or token is not one
    Row("tool-contribution-report", everyone(401)),
    Row("tool-claim-list", everyone(401)),
]


# --- writes ---------------------------------------------------------------------------------------
# The world's open task is the chair's group's; the volunteer holds a claim on it and reported 3 items.


TASK_MANAGERS = ("chair", "organizer")
# Verified, no claim on it yet, and a role already. The organizer holds no role: claiming would make
# them a Workshop Attendant, which they did not agree to (the form's box unticked), so they are refused.
CLAIMERS = ("member", "chair", "other_chair", "advisor")


def _task_page(world, person=None) -> str:
    return f"→/tasks/{world.objects['task'].pk}/"


def _review_page(world, person=None) -> str:
    return f"→/tasks/{world.objects['task'].pk}/review/"


def _new_claim_page(world, person) -> str:
    """The person's claim that the request made, found after it ran."""
    from tasks.models import Claim

    claim = Claim.objects.get(task=world.objects["task"], user=world.people[person])
    return f"→/tasks/claims/{claim.pk}/"


def _copy_edit_page(world, person) -> str:
    from tasks.models import Task

    copy = Task.objects.filter(working_group=world.group, status=Task.Status.DRAFT).latest("pk")
    return f"→/tasks/{copy.pk}/edit/"


def _per(persons, answer, others):
    """``answer`` (a function of the world and person) for ``persons``, ``others`` for the rest."""
    return {**others, **dict.fromkeys(persons, answer)}


API_WRITE_REFUSED = {"anonymous": 401, "unverified": 403}  # the API asks for a verified address to write
GROUP_TOOLS = ("post", "put", "patch", "delete")

WRITES = [
    WriteRow(
        "tasks:claim",
        ("post",),
        # the unverified person and the volunteer (who holds a claim already) are sent back with a message
        _per(CLAIMERS, _new_claim_page, signed_in(_task_page)),
        changes=who(CLAIMERS, ("tasks.Claim", "tasks.Task", ACTIVITY)),  # the task counts its open places
        kwargs=TASK,
    ),
    WriteRow("tasks:edit", ("post",), MANAGERS, kwargs=TASK),  # empty form: errors, nothing saved
    WriteRow(
        "tasks:copy",
        ("post",),
        _per(TASK_MANAGERS, _copy_edit_page, only((), None, 403)),
        changes=who(TASK_MANAGERS, ("tasks.Task", ACTIVITY)),
        kwargs=TASK,
    ),
    WriteRow(
        "tasks:status",
        ("post",),
        _per(TASK_MANAGERS, _task_page, only((), None, 403)),
        changes=who(TASK_MANAGERS, ("tasks.Task", ACTIVITY)),
        data={"status": "paused"},
        kwargs=TASK,
    ),
    WriteRow(
        "tasks:reviewers",
        ("post",),
        _per(TASK_MANAGERS, _review_page, only((), None, 403)),
        changes=who(TASK_MANAGERS, ("tasks.TaskReviewer", ACTIVITY)),
        data={"email": "advisor@example.org"},
        kwargs=TASK,
    ),
    WriteRow("tasks:report", ("post",), only(("volunteer",), 200, 404), kwargs=_pk("task_claim")),  # empty form
    WriteRow(
        "tasks:release",
        ("post",),
        _per(("volunteer",), _task_page, only((), None, 404)),
        changes=who(("volunteer",), ("tasks.Claim", ACTIVITY)),
        kwargs=_pk("task_claim"),
    ),
    WriteRow(
        "tasks:review_contribution",
        ("post",),
        _per(TASK_MANAGERS, _review_page, only((), None, 404)),
        changes=who(TASK_MANAGERS, ("tasks.Contribution", "tasks.Task", ACTIVITY, OUTBOX)),  # accepted items count
        data={"decision": "accept"},
        kwargs=_pk("contribution"),
    ),
    WriteRow("tasks:create", ("post",), MANAGERS, kwargs=_group()),  # empty form: errors
    WriteRow(
        # no name nor scope: the managers are sent back with a message
        "tasks:token_create",
        ("post",),
        only(TASK_MANAGERS, "→/tasks/groups/data-governance/", 403),
        kwargs=_group(),
    ),
    WriteRow(
        "tasks:token_revoke",
        ("post",),
        only(TASK_MANAGERS, "→/tasks/groups/data-governance/", 403),
        changes=who(TASK_MANAGERS, ("tasks.GroupToken", ACTIVITY)),
        kwargs=_group_and("group_token"),
    ),
    # the API
    WriteRow(
        "my-task-claim-list",
        ("post",),
        everyone(201, volunteer=409, organizer=409, **API_WRITE_REFUSED),  # a claim already; no role, no consent
        changes=who(CLAIMERS, ("tasks.Claim", "tasks.Task", ACTIVITY)),
        data=lambda world: {"task": world.objects["task"].pk},
        json=True,
    ),
    WriteRow(
        "my-task-claim-release",
        ("post",),
        everyone(404, volunteer=200, **API_WRITE_REFUSED),
        changes=who(("volunteer",), ("tasks.Claim", ACTIVITY)),
        data={},
        json=True,
        kwargs=_pk("task_claim"),
    ),
    WriteRow(
        "my-contribution-list",
        ("post",),
        everyone(400, volunteer=201, **API_WRITE_REFUSED),  # a claim of someone else's: "Not one of your claims."
        changes=who(("volunteer",), ("tasks.Claim", "tasks.Contribution", ACTIVITY)),  # the claim's last report
        data=lambda world: {"claim": world.objects["task_claim"].pk, "items": 2},
        json=True,
    ),
    WriteRow(
        "task-contribution-decide",
        ("post",),
        everyone(404, chair=200, organizer=200, **API_WRITE_REFUSED),
        changes=who(TASK_MANAGERS, ("tasks.Contribution", "tasks.Task", ACTIVITY, OUTBOX)),
        data={"decision": "accept"},
        json=True,
        kwargs=_pk("contribution"),
    ),
    # a group's tools authenticate with a group token only: a person's session is refused for every method
    WriteRow("tool-contribution-report", GROUP_TOOLS, everyone(401), data={}, json=True),
    WriteRow("tool-claim-list", GROUP_TOOLS, everyone(401), data={}, json=True),
]
