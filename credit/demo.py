"""Demo outputs of the 2021 workshop, and the generated volunteers who are credited on them.

Idempotent: people are found by e-mail, outputs by address, and an output that already has
contributors is left as it is. No e-mail is sent and no password is set for generated people.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from . import orcid, taxonomy
from .models import Contributor, Output

GIVEN = [
    "Amélie", "José", "Zoë", "Łukasz", "Thị Lan", "Søren", "Ngozi", "Aditi", "Mateo", "Ольга",
    "Yusuf", "Chloé", "Kwame", "Ana María", "Björn", "Fatima", "Hiroshi", "Priya", "Sean", "Aigerim",
    "محمد", "Camille", "Dmitri", "Leilani", "Ingrid", "Tomás", "Wanjiru", "Ravi", "Elif", "Noa",
]  # fmt: skip
FAMILY = [
    "Dubois", "García", "Müller", "Nguyễn", "Kowalski", "Okafor", "Iyer", "O'Brien", "van der Berg", "Сидорова",
    "Yılmaz", "Haddad", "Mensah", "Pérez", "Lindqvist", "Al-Sayed", "田中", "Sharma", "Kamau", "Silva",
    "Новак", "Rossi", "Kim", "Fernández", "Ødegaard", "李", "Abdi", "Da Costa", "Moreau", "Bianchi",
]  # fmt: skip
AFFILIATIONS = [
    "Hugging Face", "CNRS", "Inria", "Université Paris-Saclay", "University of Washington", "Masakhane",
    "IIT Bombay", "Universidad de Chile", "Tokyo Institute of Technology", "University of Edinburgh",
    "École Polytechnique", "Allen Institute for AI", "University of Cape Town", "Sorbonne Université",
    "Carnegie Mellon University", "Independent researcher",
]  # fmt: skip
GENERATED = 260
START = datetime.date(2021, 5, 1)


def _fake_orcid(n: int) -> str:
    base = f"0000000{n:08d}"
    digits = base + orcid.check_character(base)
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def _name(i: int) -> str:
    # Every (given, family) pair once for the first 900 people.
    return f"{GIVEN[i % len(GIVEN)]} {FAMILY[(7 * i + i // len(GIVEN)) % len(FAMILY)]}"


def _volunteers(groups: list) -> list:
    """Generated members of the groups, created once (unusable passwords, verified-looking profiles)."""
    from accounts.models import Profile, User
    from roles.models import Participation, Role

    emails = [f"volunteer{i:03d}@demo.example.org" for i in range(GENERATED)]
    existing = {u.email: u for u in User.objects.filter(email__in=emails)}
    new = []
    for email in emails:
        if email not in existing:
            user = User(email=email)
            user.set_unusable_password()
            new.append(user)
    User.objects.bulk_create(new)
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    created = [users[u.email] for u in new]
    index = {email: i for i, email in enumerate(emails)}
    Profile.objects.bulk_create(
        [
            Profile(
                user=u,
                display_name=_name(index[u.email]),
                affiliation=AFFILIATIONS[index[u.email] % len(AFFILIATIONS)],
                show_in_directory=False,
            )
            for u in created
        ]
    )
    participant = Role.objects.get(slug=Role.PARTICIPANT)
    started = timezone.make_aware(datetime.datetime(2021, 6, 1))
    Participation.objects.bulk_create(
        [
            Participation(
                user=u,
                role=participant,
                working_group=groups[index[u.email] % len(groups)],
                status=Participation.Status.ACTIVE,
                started_at=started,
            )
            for u in created
        ]
    )
    return [users[email] for email in emails]


OUTPUTS = [
    {
        "slug": "bloom-paper",
        "kind": Output.Kind.PAPER,
        "title": "BLOOM: a 176B-parameter open-access multilingual language model",
        "description": "The paper that describes the workshop's model, its training data, architecture, "
        "engineering and evaluation, written by the whole workshop.",
        "date": datetime.date(2022, 11, 9),
        "status": Output.Status.PUBLISHED,
        "arxiv_id": "2211.05100",
        "doi": "10.48550/arXiv.2211.05100",
        "venue": "arXiv preprint",
        "groups": None,  # every group
    },
    {
        "slug": "roots-corpus",
        "kind": Output.Kind.DATASET,
        "title": "The ROOTS corpus: 1.6TB of text in 59 languages",
        "description": "The composite multilingual dataset the model was trained on, with its governance.",
        "date": datetime.date(2022, 3, 1),
        "status": Output.Status.PUBLISHED,
        "page_url": "https://huggingface.co/bigscience-data",
        "groups": ["data-sourcing", "data-governance", "data-tooling"],
    },
    {
        "slug": "bloom-model",
        "kind": Output.Kind.MODEL,
        "title": "BLOOM model weights",
        "description": "The trained checkpoints, released under the Responsible AI License.",
        "date": datetime.date(2022, 7, 12),
        "status": Output.Status.PUBLISHED,
        "page_url": "https://huggingface.co/bigscience/bloom",
        "groups": ["engineering-and-scaling", "modeling-architecture-and-scaling"],
    },
    {
        "slug": "promptsource",
        "kind": Output.Kind.SOFTWARE,
        "title": "PromptSource: a toolkit for creating and sharing natural language prompts",
        "date": datetime.date(2022, 2, 2),
        "status": Output.Status.PUBLISHED,
        "repository_url": "https://github.com/bigscience-workshop/promptsource",
        "groups": ["prompt-engineering"],
    },
    {
        "slug": "multilingual-prompting-draft",
        "kind": Output.Kind.PAPER,
        "title": "Prompting in many languages: what transfers (draft)",
        "status": Output.Status.IN_PREPARATION,
        "is_public": False,
        "groups": ["prompt-engineering"],
    },
]


def _entries(output, people, *, count: int, offset: int, confirm_every: int) -> list[Contributor]:
    groups = list(output.working_groups.all())
    entries = []
    for position, user in enumerate(people[offset : offset + count], start=1):
        roles = [taxonomy.SLUGS[(position + k * 5) % len(taxonomy.SLUGS)] for k in range(1 + position % 3)]
        profile = getattr(user, "profile", None)
        confirmed = position % confirm_every != 0
        entries.append(
            Contributor(
                output=output,
                position=position,
                user=user,
                name=(profile.display_name if profile else "") or user.display_name,
                affiliations=[profile.affiliation] if profile and profile.affiliation else [],
                roles=taxonomy.ordered(roles),
                working_group=groups[position % len(groups)] if groups else None,
                equal_contribution=position <= 2,
                corresponding=position == 1,
                orcid=_fake_orcid(user.pk) if confirmed and position % 2 else "",
                state=Contributor.State.CONFIRMED if confirmed else Contributor.State.PENDING,
                confirmed_at=timezone.now() if confirmed else None,
            )
        )
    return entries


def load(context: dict) -> None:
    from working_groups.models import WorkingGroup

    groups = context.get("groups") or {g.slug: g for g in WorkingGroup.objects.all()}
    volunteers = _volunteers(list(groups.values()))
    users = context.get("users", {})
    known = [users[label] for label in ("chair", "organizer") if label in users]
    known += [u for label, u in users.items() if label not in ("chair", "organizer", "advisor", "attendant")]
    from accounts.models import User

    people = list(User.objects.filter(Q(pk__in=[u.pk for u in known + volunteers])).select_related("profile"))
    order = {u.pk: i for i, u in enumerate(known + volunteers)}
    people.sort(key=lambda u: order[u.pk])
    organizer = users.get("organizer")
    outputs = {}
    for spec in OUTPUTS:
        spec = dict(spec)
        slugs = spec.pop("groups")
        output, _created = Output.objects.update_or_create(
            slug=spec.pop("slug"),
            defaults={"is_public": True, "created_by": organizer, "work_started": START, **spec},
        )
        output.working_groups.set(list(groups.values()) if slugs is None else [groups[s] for s in slugs if s in groups])
        outputs[output.slug] = output
    sizes = {"bloom-paper": (len(people), 0, 4), "roots-corpus": (40, 20, 5), "bloom-model": (25, 60, 6)}
    sizes["promptsource"] = (18, 0, 3)
    for slug, (count, offset, confirm_every) in sizes.items():
        output = outputs[slug]
        if output.contributors.exists():
            continue
        entries = _entries(output, people, count=count, offset=offset, confirm_every=confirm_every)
        if slug == "bloom-paper":
            # A name alone, with a comma and a LaTeX special character: exports must survive it.
            entries.append(
                Contributor(
                    output=output,
                    position=len(entries) + 1,
                    name="Hugging Face, Inc. & friends",
                    affiliations=["Hugging Face"],
                    roles=["resources"],
                    state=Contributor.State.STATED,
                )
            )
        if slug == "promptsource" and "attendant" in users:
            entries.append(
                Contributor(
                    output=output,
                    position=len(entries) + 1,
                    user=users["attendant"],
                    name=users["attendant"].display_name,
                    affiliations=["University of Lagos"],
                    roles=["data_curation"],
                    state=Contributor.State.PENDING,
                )
            )
        Contributor.objects.bulk_create(entries)
    context["outputs"] = outputs
