"""Generate a workshop at scale with bulk_create: ``python -m bench.generate --scale full|small``.

Full scale is the issue's workshop: 20,000 people, 60 working groups, 5,000 applications in all
states, 200 events with 20 sessions each, 50,000 registrations, 100 sent newsletter issues. Small
scale has 5 rows of each, so query counts can be compared at 5 and at thousands of rows. Both
create the same three known accounts (organizer, chair of the first group, member of it) that
the benchmark signs in as. Models another engineer has not built yet are skipped, and fields a
model does not have are dropped, so the generator runs on any state of the tree.
"""

import argparse
import itertools
import json
import os
import random
import time
from datetime import timedelta

SCALES = {
    "full": {
        "people": 20_000,
        "groups": 60,
        "applications": 5_000,
        "events": 200,
        "sessions": 20,
        "registrations": 50_000,
        "issues": 100,
        "news": 200,
        "updates": 600,
        "advisors": 500,
        "members_per_group": 200,
        "own_rows": 50,
        "speakers": 400,
        "tasks": 500,
        "claims": 20_000,
        "contributions": 200_000,
        "contributors": 400,
    },
    "small": {
        "people": 5,
        "groups": 5,
        "applications": 5,
        "events": 5,
        "sessions": 5,
        "registrations": 5,
        "issues": 5,
        "news": 5,
        "updates": 5,
        "advisors": 5,
        "members_per_group": 5,
        "own_rows": 5,
        "speakers": 5,
        "tasks": 5,
        "claims": 5,
        "contributions": 5,
        "contributors": 5,
    },
}
BATCH = 2_000
PASSWORD = "bench-password-not-secret"  # noqa: S105 - a generated test workshop
KNOWN = {
    "organizer": "bench-organizer@example.org",
    "chair": "bench-chair@example.org",
    "member": "bench-member@example.org",
}


def get_model(label: str):
    from django.apps import apps

    try:
        return apps.get_model(label)
    except LookupError:
        return None


def build(model, **values):
    """An unsaved instance with only the fields this model has (the others are being built)."""
    names = {f.name for f in model._meta.concrete_fields} | {f.attname for f in model._meta.concrete_fields}
    return model(**{k: v for k, v in values.items() if k in names})


def bulk(model, objects, **kwargs) -> list:
    return model.objects.bulk_create(objects, batch_size=BATCH, **kwargs)


class Generator:
    def __init__(self, scale: dict, seed: int = 7):
        from django.utils import timezone

        self.n = scale
        self.now = timezone.now()
        self.random = random.Random(seed)
        self.counts: dict[str, int] = {}

    def count(self, label: str, rows) -> list:
        self.counts[label] = self.counts.get(label, 0) + len(rows)
        return rows

    def run(self) -> dict:
        from django.db import transaction

        with transaction.atomic():
            self.roles()
            self.people()
            self.groups()
            self.participations()
            self.applications()
            self.content()
            self.events()
            self.newsletter()
            self.tasks()
            self.credit()
        return self.counts

    def roles(self):
        from roles.models import Role

        # The committees and roles are reference data, created by `migrate`.
        self.role = {r.slug: r for r in Role.objects.all()}

    def people(self):
        from allauth.account.models import EmailAddress
        from django.contrib.auth.hashers import make_password
        from django.contrib.auth.models import Group

        from accounts.models import Language, Profile, User
        from roles.rules import ORGANIZERS_GROUP

        hashed = make_password(PASSWORD)
        emails = list(KNOWN.values()) + [f"person{i}@bench.example.org" for i in range(self.n["people"])]
        users = bulk(User, [User(email=email, password=hashed, is_active=True) for email in emails])
        self.count("people", users)
        self.users = users
        self.known = dict(zip(KNOWN, users[:3], strict=False))
        self.people_only = users[3:]
        bulk(EmailAddress, [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users])
        countries = ["FR", "US", "IN", "NG", "BR", "JP", "DE", "CN", "KE", "ID"]
        profiles = bulk(
            Profile,
            [
                build(
                    Profile,
                    user=u,
                    display_name=f"Person {i}",
                    affiliation=f"Lab {i % 300}",
                    country=countries[i % len(countries)],
                    time_zone="UTC",
                    show_in_directory=i % 3 == 0,
                )
                for i, u in enumerate(users)
            ],
        )
        codes = list(
            Language.objects.filter(code__in=["en", "fr", "es", "zh", "ar", "hi", "sw", "yo"]).values_list(
                "code", flat=True
            )
        )
        through = Profile.languages.through
        if codes:
            bulk(
                through,
                [
                    through(profile_id=p.pk, language_id=codes[(i + k) % len(codes)])
                    for i, p in enumerate(profiles)
                    for k in range(2)
                ],
            )
        organizers, _ = Group.objects.get_or_create(name=ORGANIZERS_GROUP)
        self.known["organizer"].groups.add(organizers)
        self.known["organizer"].is_staff = True
        self.known["organizer"].save(update_fields=["is_staff"])

    def groups(self):
        from working_groups.models import WorkingGroup

        self.wgs = bulk(
            WorkingGroup,
            [
                build(
                    WorkingGroup,
                    slug=f"group-{i:02d}",
                    name=f"Working group {i:02d}",
                    short_description=f"What group {i} does, in one line.",
                    description="## About\n\nA **working group** of the bench workshop.\n\n" + "Some text. " * 40,
                    guidelines="1. Read the charter\n2. Say hello",
                    links=[{"label": "Chat", "url": "https://example.org"}],
                    is_open=i % 4 != 0,
                )
                for i in range(self.n["groups"])
            ],
        )
        self.count("working groups", self.wgs)

    def participations(self):
        from roles.models import Participation

        P = Participation.Status
        start = self.now - timedelta(days=200)
        rows = [
            build(
                Participation,
                user=self.known["chair"],
                role=self.role["chair"],
                working_group=self.wgs[0],
                status=P.ACTIVE,
                started_at=start,
            ),
            build(
                Participation,
                user=self.known["member"],
                role=self.role["participant"],
                working_group=self.wgs[0],
                status=P.ACTIVE,
                started_at=start,
            ),
        ]
        people = itertools.cycle(self.people_only)
        for group in self.wgs:
            rows.append(
                build(
                    Participation,
                    user=next(people),
                    role=self.role["chair"],
                    working_group=group,
                    status=P.ACTIVE,
                    started_at=start,
                )
            )
            for _ in range(self.n["members_per_group"]):
                rows.append(
                    build(
                        Participation,
                        user=next(people),
                        role=self.role["participant"],
                        working_group=group,
                        status=P.ACTIVE,
                        started_at=start,
                    )
                )
        self.advisors = self.people_only[-self.n["advisors"] :]
        rows += [
            build(Participation, user=u, role=self.role["advisor"], status=P.ACTIVE, started_at=start)
            for u in self.advisors
        ]
        rows += [
            build(Participation, user=u, role=self.role["attendant"], status=P.ACTIVE, started_at=start)
            for u in self.users
        ]
        self.count("participations", bulk(Participation, rows))

    def applications(self):
        Application = get_model("roles.Application")
        if Application is None:
            return
        states = ["pending", "approved", "declined", "withdrawn"]
        rows, seen = [], set()
        member = self.known["member"]
        for k in range(1, min(self.n["own_rows"], len(self.wgs))):
            rows.append(
                build(
                    Application,
                    user=member,
                    role=self.role["participant"],
                    working_group=self.wgs[k],
                    motivation="I would like to help.",
                    status=states[2 + k % 2],
                )
            )
        for i in range(self.n["applications"]):
            user, group = self.people_only[(i * 7) % len(self.people_only)], self.wgs[i % len(self.wgs)]
            status = states[i % 4]
            if status == "pending" and (user.pk, group.pk) in seen:
                status = "declined"
            seen.add((user.pk, group.pk))
            rows.append(
                build(
                    Application,
                    user=user,
                    role=self.role["participant"],
                    working_group=group,
                    motivation="Motivation text. " * 8,
                    status=status,
                    decided_at=None if status == "pending" else self.now,
                )
            )
        self.count("applications", bulk(Application, rows))

    def content(self):
        from newsletter.models import NewsPost
        from working_groups.models import ProgressUpdate

        body = "Some **Markdown** news with a [link](https://example.org).\n\n" + "More words here. " * 30
        self.count(
            "news posts",
            bulk(
                NewsPost,
                [
                    build(
                        NewsPost,
                        slug=f"news-{i}",
                        title=f"News {i}",
                        body=body,
                        author=self.known["organizer"],
                        published_at=self.now - timedelta(hours=i * 30),
                        is_published=True,
                    )
                    for i in range(self.n["news"])
                ],
            ),
        )
        self.count(
            "progress updates",
            bulk(
                ProgressUpdate,
                [
                    build(
                        ProgressUpdate,
                        working_group=self.wgs[i % len(self.wgs)],
                        author=self.known["chair"],
                        title=f"Progress {i}",
                        body=body,
                    )
                    for i in range(self.n["updates"])
                ],
            ),
        )

    def events(self):
        from events.models import Event

        n_events = self.n["events"]
        half = n_events // 2
        events = bulk(
            Event,
            [
                build(
                    Event,
                    slug=f"event-{i:03d}",
                    title=f"Bench event {i}",
                    description="An event.\n\n" + "Words. " * 40,
                    start=self.now + timedelta(days=3 * (i - half) + 1),
                    end=self.now + timedelta(days=3 * (i - half) + 1, hours=8),
                    time_zone="UTC",
                    is_published=True,
                    stream_url="https://example.org/stream",
                    registration_open=True,
                    capacity=None,
                )
                for i in range(n_events)
            ],
        )
        self.events_ = sorted(events, key=lambda e: e.start)
        self.count("events", events)
        self.sessions()
        self.registrations()

    def sessions(self):
        Session, Speaker = get_model("events.Session"), get_model("events.Speaker")
        if Session is None:
            return
        kinds = ["talk", "keynote", "panel", "round_table", "poster_session", "break"]
        rows = []
        Room = get_model("events.Room")
        for event in self.events_:
            rooms = [
                Room.objects.get_or_create(event=event, name=f"Room {r}", defaults={"order": r})[0] for r in range(3)
            ]
            for k in range(self.n["sessions"]):
                start = event.start + timedelta(minutes=20 * k)
                rows.append(
                    build(
                        Session,
                        event=event,
                        kind=kinds[k % len(kinds)],
                        title=f"Session {k}",
                        abstract="An abstract. " * 10,
                        start=start,
                        end=start + timedelta(minutes=20),
                        room=rooms[k % 3],
                    )
                )
        sessions = self.count("sessions", bulk(Session, rows))
        if Speaker is not None:
            speakers = bulk(
                Speaker, [build(Speaker, name=f"Speaker {i}", affiliation="A lab") for i in range(self.n["speakers"])]
            )
            through = Session.speakers.through
            bulk(
                through,
                [
                    through(session_id=s.pk, speaker_id=speakers[(i + k) % len(speakers)].pk)
                    for i, s in enumerate(sessions)
                    for k in range(2)
                ],
            )

    def registrations(self):
        Registration = get_model("events.Registration")
        if Registration is None:
            return
        member = self.known["member"]
        rows = [
            build(Registration, event=e, user=member, status="registered", created_at=self.now)
            for e in self.events_[-self.n["own_rows"] :]
        ]
        per_event = max(1, self.n["registrations"] // len(self.events_))
        people = self.people_only
        for e_index, event in enumerate(self.events_):
            for k in range(per_event):
                if len(rows) >= self.n["registrations"] + len(self.events_[-self.n["own_rows"] :]):
                    break
                user = people[(e_index * per_event + k) % len(people)]
                rows.append(
                    build(
                        Registration,
                        event=event,
                        user=user,
                        status="registered" if k % 10 else "cancelled",
                        created_at=self.now,
                    )
                )
        self.count("registrations", bulk(Registration, rows))

    def newsletter(self):
        Issue, IssueItem, Subscription = (get_model(f"newsletter.{m}") for m in ("Issue", "IssueItem", "Subscription"))
        if Issue is None:
            return
        total = self.n["issues"]
        issues = bulk(
            Issue,
            [
                build(
                    Issue,
                    number=i + 1,
                    title=f"Issue {i + 1}",
                    editorial="A word from the organizers. " * 5,
                    status="sent",
                    is_public=True,
                    period_start=self.now - timedelta(days=14 * (total - i + 1)),
                    period_end=self.now - timedelta(days=14 * (total - i)),
                    scheduled_for=self.now - timedelta(days=14 * (total - i)),
                    sent_at=self.now - timedelta(days=14 * (total - i)),
                )
                for i in range(total)
            ],
        )
        self.count("newsletter issues", issues)
        if IssueItem is not None:
            bulk(
                IssueItem,
                [
                    build(IssueItem, issue=issue, kind="news", position=k, title=f"Item {k}", body="Item body.")
                    for issue in issues
                    for k in range(5)
                ],
            )
        if Subscription is not None:
            advisors = {u.pk for u in self.advisors}
            subscribers = [u for u in self.people_only if u.pk not in advisors]
            self.count(
                "newsletter subscribers",
                bulk(
                    Subscription,
                    [
                        build(Subscription, email=u.email, user=u, name=f"Subscriber {u.pk}", confirmed_at=self.now)
                        for u in subscribers
                    ],
                ),
            )

    def tasks(self):
        """Guided tasks over the groups, with claims and their contributions (most accepted)."""
        Task, Claim, Contribution = (get_model(f"tasks.{m}") for m in ("Task", "Claim", "Contribution"))
        if Task is None:
            return
        from django.db.models import Count, Sum

        from accounts.models import Language

        codes = list(
            Language.objects.filter(code__in=["en", "fr", "sw", "yo", "hi", "ar", "zh", "es"]).values_list(
                "code", flat=True
            )
        )
        statuses = ["open"] * 7 + ["paused", "closed", "draft"]
        tasks = bulk(
            Task,
            [
                build(
                    Task,
                    working_group=self.wgs[i % len(self.wgs)],
                    title=f"Task {i}: describe data sources",
                    summary="Find and describe sources of text in your language.",
                    guidelines="1. Find a source\n2. Fill **one row** of the sheet",
                    guidelines_html="<ol><li>Find a source</li><li>Fill <strong>one row</strong> of the sheet</li></ol>",
                    level="first" if i % 3 else "experienced",
                    unit="items",
                    amount_needed=1_000,
                    work_url="https://sheet.example.org/",
                    status=statuses[i % len(statuses)],
                    published_at=self.now - timedelta(hours=i),
                )
                for i in range(self.n["tasks"])
            ],
        )
        self.count("tasks", tasks)
        if codes:
            through = Task.languages.through
            bulk(
                through,
                [
                    through(task_id=t.pk, language_id=codes[(i + k) % len(codes)])
                    for i, t in enumerate(tasks)
                    for k in range(2)
                ],
            )
        people = self.people_only
        per_task = max(1, self.n["claims"] // len(tasks))
        claims = [Claim(task=t, user=self.known["member"], status="active") for t in tasks[: self.n["own_rows"]]]
        for t_index, task in enumerate(tasks):
            for k in range(per_task):
                if len(claims) >= self.n["claims"] + self.n["own_rows"]:
                    break
                claims.append(Claim(task=task, user=people[(t_index * per_task + k) % len(people)], status="active"))
        claims = bulk(Claim, claims)
        self.count("task claims", claims)
        # Spread the contributions over the claims (a few more on the first ones when it does not divide).
        total = self.n["contributions"]
        per_claim = -(-total // len(claims))
        states = ["accepted"] * 7 + ["submitted", "changes", "rejected"]
        n_codes = len(codes)
        rows = []
        # Built directly rather than through build(): 200,000 rows, and this model's fields are known.
        for c_index, claim in enumerate(claims):
            for k in range(per_claim):
                if len(rows) >= total:
                    break
                status = states[(c_index + k) % 10]
                rows.append(
                    Contribution(
                        task_id=claim.task_id,
                        claim_id=claim.pk,
                        user_id=claim.user_id,
                        items=1 + (c_index + k) % 5,
                        language_id=codes[(c_index + k) % n_codes] if n_codes else None,
                        status=status,
                        reviewed_at=self.now if status != "submitted" else None,
                    )
                )
        self.count("task contributions", bulk(Contribution, rows))
        # The counters the services keep current, computed once here.
        accepted = {
            row["task_id"]: row
            for row in Contribution.objects.filter(status="accepted")
            .values("task_id")
            .annotate(items=Sum("items"), people=Count("user_id", distinct=True))
        }
        active = dict(Claim.objects.filter(status="active").values_list("task_id").annotate(n=Count("pk")))
        for task in tasks:
            task.accepted_items = accepted.get(task.pk, {}).get("items", 0)
            task.accepted_people = accepted.get(task.pk, {}).get("people", 0)
            task.active_claims = active.get(task.pk, 0)
        Task.objects.bulk_update(tasks, ["accepted_items", "accepted_people", "active_claims"], batch_size=BATCH)

    def credit(self):
        """A BigScience-size paper of the first group: ``contributors`` people with roles and affiliations."""
        Output, Contributor = get_model("credit.Output"), get_model("credit.Contributor")
        if Output is None or Contributor is None:
            return
        paper = Output.objects.create(
            slug="bench-paper",
            kind="paper",
            title="A paper by the whole bench workshop",
            status="published",
            date=self.now.date(),
            is_public=True,
            venue="Bench proceedings",
            doi="10.0000/bench.paper",
        )
        paper.working_groups.set([self.wgs[0]])
        roles = ["conceptualization", "data_curation", "software", "investigation", "writing_review_editing"]
        rows = []
        for i, user in enumerate(self.people_only[: self.n["contributors"]]):
            confirmed = i % 3 != 0
            rows.append(
                build(
                    Contributor,
                    output=paper,
                    position=i + 1,
                    user=user,
                    name=f"Person {i + 3}",
                    affiliations=[f"Lab {i % 300}", "Bench University"] if i % 4 == 0 else [f"Lab {i % 300}"],
                    roles=roles[i % len(roles) : i % len(roles) + 2],
                    working_group=self.wgs[0],
                    state="confirmed" if confirmed else "pending",
                    confirmed_at=self.now if confirmed else None,
                    orcid="0000-0002-1825-0097" if confirmed and i % 2 else "",
                )
            )
        self.count("outputs", [paper])
        self.count("contributors", bulk(Contributor, rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bigscience_portal.settings")
    import django

    django.setup()
    started = time.monotonic()
    counts = Generator(SCALES[args.scale]).run()
    print(json.dumps({"scale": args.scale, "rows": counts, "seconds": round(time.monotonic() - started, 1)}))


if __name__ == "__main__":
    main()
