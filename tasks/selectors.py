"""Reads about guided tasks: one function per page's data, each in a fixed number of queries."""

from collections import defaultdict

from django.db.models import Count, F, Prefetch, Q, Sum, Window
from django.db.models.functions import RowNumber

from accounts.models import Language, Profile

from .models import Claim, Contribution, GroupToken, Skill, Task, TaskReviewer

PUBLIC_STATUSES = [Task.Status.OPEN, Task.Status.PAUSED, Task.Status.CLOSED]
NAMES_PER_LANGUAGE = 8
TASKS_PER_LANGUAGE = 5  # the languages page names this many open tasks per language, and counts the rest


def _with_needs(tasks):
    return tasks.select_related("working_group").prefetch_related(
        Prefetch("languages", queryset=Language.objects.order_by("name")),
        Prefetch("skills", queryset=Skill.objects.order_by("name")),
    )


def _attach_missing_languages(tasks: list[Task]) -> list[Task]:
    """``task.missing_languages``: the task's languages with no accepted work yet (one query for all)."""
    covered = defaultdict(set)
    rows = (
        Contribution.objects.filter(
            task__in=[t.pk for t in tasks], status=Contribution.Status.ACCEPTED, language__isnull=False
        )
        .values_list("task_id", "language_id")
        .distinct()
    )
    for task_id, language_id in rows:
        covered[task_id].add(language_id)
    for task in tasks:
        task.missing_languages = [lang for lang in task.languages.all() if lang.pk not in covered[task.pk]]
    return tasks


def board(*, languages=(), skill=None, level: str = "", group=None):
    """Open tasks across groups, newest first, filtered; a queryset, to paginate."""
    tasks = Task.objects.filter(status=Task.Status.OPEN)
    if languages:
        # A task that names no language welcomes work in any.
        tasks = tasks.filter(Q(languages__in=languages) | Q(languages__isnull=True)).distinct()
    if skill is not None:
        tasks = tasks.filter(skills=skill)
    if level:
        tasks = tasks.filter(level=level)
    if group is not None:
        tasks = tasks.filter(working_group=group)
    return _with_needs(tasks).order_by("-published_at", "-pk")


def board_page(tasks) -> list[Task]:
    return _attach_missing_languages(list(tasks))


def profile_language_ids(user) -> list[str]:
    if not user.is_authenticated:
        return []
    return list(Profile.languages.through.objects.filter(profile__user=user).values_list("language_id", flat=True))


def task_page_data(task: Task, user) -> dict:
    """A task's page: its needs, progress, accepted work by language, and the visitor's own claim."""
    _attach_missing_languages([task])
    by_language = list(
        Contribution.objects.filter(task=task, status=Contribution.Status.ACCEPTED)
        .values("language__name")
        .annotate(items=Sum("items"), people=Count("user", distinct=True))
        .order_by("-items")
    )
    data = {"task": task, "accepted_by_language": by_language, "my_claim": None, "my_contributions": []}
    if user.is_authenticated:
        data["my_claim"] = Claim.objects.filter(task=task, user=user, status=Claim.Status.ACTIVE).first()
        data["my_contributions"] = list(
            Contribution.objects.filter(task=task, user=user).select_related("language").order_by("-created_at")[:20]
        )
    return data


def task_for_page(pk: int):
    return _with_needs(Task.objects.all()).filter(pk=pk).first()


def review_queue(task: Task) -> list[Contribution]:
    """Contributions to a task waiting for review, oldest first, with the reviewed ones after."""
    return list(
        Contribution.objects.filter(task=task)
        .select_related("user__profile", "language", "reviewer__profile")
        .order_by(F("reviewed_at").asc(nulls_first=True), "created_at", "pk")[:200]
    )


def reviewers_of(task: Task) -> list[TaskReviewer]:
    return list(TaskReviewer.objects.filter(task=task).select_related("user__profile").order_by("created_at"))


def group_tasks(group) -> list[Task]:
    """Every task of a group, drafts included, for its management page."""
    tasks = Task.objects.filter(working_group=group).annotate(
        waiting=Count("contributions", filter=Q(contributions__status=Contribution.Status.SUBMITTED))
    )
    return list(tasks.order_by("status", "-created_at"))


def group_tokens(group) -> list[GroupToken]:
    return list(GroupToken.objects.filter(working_group=group).select_related("created_by__profile"))


def my_task_participation(user) -> dict:
    """For "my participation": my active claims and my contributions, newest first."""
    claims = list(
        Claim.objects.filter(user=user, status=Claim.Status.ACTIVE)
        .select_related("task__working_group")
        .order_by("-created_at")
    )
    contributions = list(
        Contribution.objects.filter(user=user).select_related("task", "language").order_by("-created_at")[:50]
    )
    accepted = Contribution.objects.filter(user=user, status=Contribution.Status.ACCEPTED).aggregate(
        items=Sum("items"), count=Count("pk")
    )
    return {
        "task_claims": claims,
        "task_contributions": contributions,
        "accepted_items": accepted["items"] or 0,
        "accepted_count": accepted["count"],
    }


def languages_page_data() -> list[dict]:
    """Per language: its speakers (a count, and names of public-directory profiles), the open tasks
    that need it and the work accepted in it. Only languages with at least one of those are listed,
    most spoken first. Five queries, whatever the numbers."""
    speakers = dict(
        Profile.languages.through.objects.values_list("language_id").annotate(n=Count("profile_id")).order_by()
    )
    named = (
        Profile.languages.through.objects.filter(profile__show_in_directory=True, profile__display_name__gt="")
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("language_id")], order_by=[F("profile__display_name").asc()])
        )
        .filter(rank__lte=NAMES_PER_LANGUAGE)
        .values_list("language_id", "profile__display_name")
    )
    names = defaultdict(list)
    for language_id, name in named:
        names[language_id].append(name)
    open_tasks = defaultdict(list)
    open_task_counts = defaultdict(int)
    for language_id, task_id, title in (
        Task.languages.through.objects.filter(task__status=Task.Status.OPEN)
        .order_by("task__title")
        .values_list("language_id", "task_id", "task__title")
    ):
        open_task_counts[language_id] += 1
        if len(open_tasks[language_id]) < TASKS_PER_LANGUAGE:
            open_tasks[language_id].append({"pk": task_id, "title": title})
    accepted = {
        row["language_id"]: row
        for row in Contribution.objects.filter(status=Contribution.Status.ACCEPTED, language__isnull=False)
        .values("language_id")
        .annotate(items=Sum("items"), contributions=Count("pk"))
        .order_by()
    }
    codes = set(speakers) | set(open_tasks) | set(accepted)
    languages = Language.objects.filter(code__in=codes).order_by("name")
    rows = []
    for language in languages:
        done = accepted.get(language.code, {})
        rows.append(
            {
                "language": language,
                "speakers": speakers.get(language.code, 0),
                "names": names.get(language.code, []),
                "open_tasks": open_tasks.get(language.code, []),
                "open_task_count": open_task_counts.get(language.code, 0),
                "accepted_items": done.get("items", 0),
                "accepted_contributions": done.get("contributions", 0),
            }
        )
    rows.sort(key=lambda row: (-row["speakers"], row["language"].name))
    top = {
        "speakers": max([r["speakers"] for r in rows] or [0]) or 1,
        "tasks": max([r["open_task_count"] for r in rows] or [0]) or 1,
        "items": max([r["accepted_items"] for r in rows] or [0]) or 1,
    }
    for row in rows:
        # Bar lengths out of 100, for the server-drawn chart.
        row["bar_speakers"] = round(100 * row["speakers"] / top["speakers"])
        row["bar_tasks"] = round(100 * row["open_task_count"] / top["tasks"])
        row["bar_items"] = round(100 * row["accepted_items"] / top["items"])
        row["gap"] = bool(row["open_tasks"]) and not row["accepted_items"]
    return rows


def accepted_contributors(groups=None, since=None, until=None) -> list[dict]:
    """People with accepted task contributions: for outputs' contributor lists (the credit app).

    ``groups``: working groups (objects or ids) to look in, None for all; ``since``/``until``: bounds
    on when the contribution was accepted (``reviewed_at``), inclusive, None for open-ended. Returns
    one dict per person, most items first: ``{"user": User, "items": int, "contributions": int,
    "groups": [WorkingGroup, ...]}``. Three queries.
    """
    from django.contrib.auth import get_user_model

    from working_groups.models import WorkingGroup

    accepted = Contribution.objects.filter(status=Contribution.Status.ACCEPTED)
    if groups is not None:
        accepted = accepted.filter(task__working_group__in=[getattr(g, "pk", g) for g in groups])
    if since is not None:
        accepted = accepted.filter(reviewed_at__gte=since)
    if until is not None:
        accepted = accepted.filter(reviewed_at__lte=until)
    totals = defaultdict(lambda: {"items": 0, "contributions": 0, "groups": set()})
    for user_id, group_id, items, count in (
        accepted.values("user_id", "task__working_group_id")
        .annotate(items=Sum("items"), n=Count("pk"))
        .values_list("user_id", "task__working_group_id", "items", "n")
        .order_by()
    ):
        totals[user_id]["items"] += items
        totals[user_id]["contributions"] += count
        totals[user_id]["groups"].add(group_id)
    users = get_user_model().objects.select_related("profile").in_bulk(list(totals))
    group_ids = {g for t in totals.values() for g in t["groups"]}
    group_objects = WorkingGroup.objects.in_bulk(list(group_ids))
    result = [
        {
            "user": users[user_id],
            "items": t["items"],
            "contributions": t["contributions"],
            "groups": sorted((group_objects[g] for g in t["groups"]), key=lambda g: g.name),
        }
        for user_id, t in totals.items()
        if user_id in users
    ]
    result.sort(key=lambda r: (-r["items"], r["user"].pk))
    return result
