"""URL-table rows of the guided tasks (pages and API), and the objects they point at."""

from tests.security.url_table import API_POST_ONLY, API_SIGNED_IN, MANAGERS, Row, api_only, everyone, only, signed_in


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
