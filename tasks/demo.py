"""Demo guided tasks: every state, several groups and languages (Swahili among them), claims and work.

Safe to run again: rows are found by their natural keys, and the counters are recomputed from the rows.
"""

from datetime import timedelta

from django.db.models import Count, Sum
from django.utils import timezone

from accounts.demo import hold, make_user
from accounts.models import Language, User
from roles.models import Role

from .models import Claim, Contribution, Skill, Task, TaskReviewer

GUIDELINES = {
    "sources": """Find a source of text in the language: a newspaper archive, a government portal, a
forum, a book collection. For each source, fill one row of the sheet:

1. the **name** and the **address** of the source;
2. the **language(s)** and, if you know it, the script;
3. who publishes it and under which **licence**;
4. roughly how much text there is.

Example of a good row:

| name | address | language | licence |
| --- | --- | --- | --- |
| Taifa Leo | https://taifaleo.nation.co.ke | Swahili | all rights reserved: ask |
""",
    "prompts": """Write prompts for a dataset of the public pool, in the style of the templates already
there. Each prompt asks the same task in different words; keep the answer choices as they are.

* Read the dataset's card first.
* Write at least three templates per dataset.
* Test each one in the prompt tool before you report it.
""",
    "harness": """Run the evaluation harness on your machine with the small model, on one task of the
list, and tell us what broke: the command, the output, your system.""",
    "pii": """Mark the personal information (names, e-mail addresses, phone numbers) in the samples of
the web crawl, with the annotation tool. One sample is one item.""",
}


def _person(email, name, affiliation, country, languages):
    return make_user(
        email=email,
        password=f"{email.split('@')[0]}-takes-part-21",
        display_name=name,
        affiliation=affiliation,
        country=country,
        languages=languages,
    )


def _task(group, title, **fields):
    languages = fields.pop("languages", [])
    skills = fields.pop("skills", [])
    task = Task.objects.filter(working_group=group, title=title).first()
    if task is None:
        task = Task(working_group=group, title=title, **fields)
        task.save()
    task.languages.set(Language.objects.filter(code__in=languages))
    task.skills.set(Skill.objects.filter(slug__in=skills))
    return task


def _claim(task, user, *, days_ago=10, status=Claim.Status.ACTIVE):
    claim = Claim.objects.filter(task=task, user=user).first()
    if claim is None:
        claim = Claim.objects.create(task=task, user=user, status=status)
        Claim.objects.filter(pk=claim.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return claim


def _contribution(claim, items, language, status, *, reviewer=None, note="", link=""):
    contribution, _ = Contribution.objects.get_or_create(
        task=claim.task,
        claim=claim,
        user=claim.user,
        items=items,
        language=Language.objects.filter(code=language).first() if language else None,
        defaults={
            "status": status,
            "reviewer": reviewer if status != Contribution.Status.SUBMITTED else None,
            "review_note": note,
            "link": link or "https://docs.example.org/bigscience/sheet",
            "reviewed_at": timezone.now() if status != Contribution.Status.SUBMITTED else None,
        },
    )
    return contribution


def _recount(task):
    accepted = task.contributions.filter(status=Contribution.Status.ACCEPTED).aggregate(
        items=Sum("items"), people=Count("user", distinct=True)
    )
    Task.objects.filter(pk=task.pk).update(
        accepted_items=accepted["items"] or 0,
        accepted_people=accepted["people"] or 0,
        active_claims=task.claims.filter(status=Claim.Status.ACTIVE).count(),
    )


def load(context: dict) -> None:
    groups, users = context["groups"], context["users"]
    people = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@example.org")}
    zawadi = _person("zawadi@example.org", "Zawadi Mwangi", "University of Nairobi", "KE", ["sw", "en"])
    juma = _person("juma@example.org", "Juma Otieno", "Makerere University", "UG", ["sw", "lg", "en"])
    for person in (zawadi, juma):
        hold(person, Role.ATTENDANT)
    now = timezone.now()
    chair, organizer = users["chair"], users["organizer"]
    hana = people.get("hana", organizer)
    yuki = people.get("yuki", organizer)

    sources = _task(
        groups["data-sourcing"],
        "Find and describe data sources in African languages",
        summary="Newspapers, radio transcripts, books and forums in Swahili, Yoruba, Igbo and more.",
        guidelines=GUIDELINES["sources"],
        languages=["sw", "yo", "ig", "ha", "am"],
        skills=["data-sourcing"],
        level=Task.Level.FIRST,
        unit=Task.Unit.ITEMS,
        amount_needed=200,
        deadline=(now + timedelta(days=45)).date(),
        work_url="https://docs.example.org/bigscience/sources-sheet",
        how_to_report="Report how many rows you added to the sheet, with a link to the first one.",
        status=Task.Status.OPEN,
        published_at=now - timedelta(days=20),
        created_by=hana,
    )
    c = _claim(sources, zawadi, days_ago=15)
    _contribution(c, 40, "sw", Contribution.Status.ACCEPTED, reviewer=hana, note="Great finds, thank you.")
    _contribution(c, 12, "sw", Contribution.Status.SUBMITTED)
    c = _claim(sources, users["attendant"], days_ago=9)
    _contribution(c, 15, "yo", Contribution.Status.ACCEPTED, reviewer=hana)
    _contribution(c, 5, "ig", Contribution.Status.CHANGES, reviewer=hana, note="Add the licence column, please.")
    _claim(sources, juma, days_ago=3)
    TaskReviewer.objects.get_or_create(task=sources, user=organizer, defaults={"named_by": hana})

    prompts = _task(
        groups["prompt-engineering"],
        "Write prompt templates for the public pool",
        summary="Three or more prompts per dataset, in the style of the pool, tested in the prompt tool.",
        guidelines=GUIDELINES["prompts"],
        languages=["en", "fr", "zh", "sw"],
        skills=["prompt-writing"],
        level=Task.Level.EXPERIENCED,
        unit=Task.Unit.ITEMS,
        amount_needed=500,
        work_url="https://github.com/example/promptsource",
        how_to_report="Report how many templates were merged, with the pull request's link.",
        status=Task.Status.OPEN,
        published_at=now - timedelta(days=30),
        created_by=chair,
    )
    if "vera" in people:
        c = _claim(prompts, people["vera"], days_ago=25)
        _contribution(c, 60, "fr", Contribution.Status.ACCEPTED, reviewer=chair)
        _contribution(c, 8, "fr", Contribution.Status.REJECTED, reviewer=chair, note="These repeat existing ones.")
    if "mei" in people:
        c = _claim(prompts, people["mei"], days_ago=12)
        _contribution(c, 25, "zh", Contribution.Status.SUBMITTED)

    harness = _task(
        groups["evaluation"],
        "Try the evaluation harness on your machine",
        summary="Run one task with the small model and tell us what broke.",
        guidelines=GUIDELINES["harness"],
        skills=["tool-testing", "programming"],
        level=Task.Level.EXPERIENCED,
        unit=Task.Unit.PEOPLE,
        amount_needed=10,
        work_url="https://github.com/example/evaluation-harness",
        status=Task.Status.PAUSED,
        published_at=now - timedelta(days=40),
        created_by=yuki,
    )
    if "arjun" in people:
        c = _claim(harness, people["arjun"], days_ago=35)
        _contribution(c, 1, None, Contribution.Status.ACCEPTED, reviewer=yuki)

    pii = _task(
        groups["data-tooling"],
        "Annotate personal information in crawl samples",
        summary="Mark names, e-mail addresses and phone numbers in samples of the web crawl.",
        guidelines=GUIDELINES["pii"],
        languages=["en", "ar"],
        skills=["annotation"],
        level=Task.Level.FIRST,
        unit=Task.Unit.ITEMS,
        amount_needed=100,
        work_url="https://annotate.example.org/pii",
        status=Task.Status.CLOSED,
        published_at=now - timedelta(days=90),
        created_by=organizer,
    )
    if "omar" in people:
        c = _claim(pii, people["omar"], days_ago=80, status=Claim.Status.WITHDRAWN)
        _contribution(c, 100, "ar", Contribution.Status.ACCEPTED, reviewer=organizer)

    draft = _task(
        groups["prompt-engineering"],
        "Translate prompt templates into Hindi and Tamil",
        summary="Translate the accepted English templates, keeping their placeholders.",
        guidelines=GUIDELINES["prompts"],
        languages=["hi", "ta"],
        skills=["translation", "prompt-writing"],
        level=Task.Level.FIRST,
        unit=Task.Unit.ITEMS,
        amount_needed=150,
        work_url="https://github.com/example/promptsource",
        status=Task.Status.DRAFT,
        copied_from=prompts,
        created_by=chair,
    )
    for task in (sources, prompts, harness, pii, draft):
        _recount(task)
