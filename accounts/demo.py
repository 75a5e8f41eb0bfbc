"""Demo accounts: an organizer, a chair, an advisor and an attendant, with verified e-mail addresses."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from roles.models import Participation, Role
from roles.rules import ORGANIZERS_GROUP

from .models import Language, Profile, User

DEMO_ACCOUNTS = [
    # label, e-mail, password, display name, affiliation, country, languages, time zone
    (
        "organizer",
        "organizer@example.org",
        "organize-the-summer-21",
        "Olivia Organizer",
        "Hugging Face",
        "FR",
        ["en", "fr"],
        "Europe/Paris",
    ),
    (
        "chair",
        "chair@example.org",
        "chair-a-working-group-21",
        "Chen Chair",
        "University of Tokyo",
        "JP",
        ["ja", "en", "zh"],
        "Asia/Tokyo",
    ),
    (
        "advisor",
        "advisor@example.org",
        "advise-the-workshop-21",
        "Ada Advisor",
        "INRIA",
        "FR",
        ["fr", "en"],
        "Europe/Paris",
    ),
    (
        "attendant",
        "attendant@example.org",
        "attend-the-events-21",
        "Amaka Attendant",
        "University of Lagos",
        "NG",
        ["yo", "ig", "en"],
        "Africa/Lagos",
    ),
]


def make_user(*, email, password, display_name, affiliation="", country="", languages=(), time_zone="UTC", staff=False):
    user, created = User.objects.get_or_create(email=email, defaults={"is_staff": staff})
    if created or not user.check_password(password):
        user.set_password(password)
    user.is_staff = staff
    user.is_active = True
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    profile, _ = Profile.objects.update_or_create(
        user=user,
        defaults={
            "display_name": display_name,
            "affiliation": affiliation,
            "country": country,
            "time_zone": time_zone,
            "show_in_directory": True,
            "expertise": "Natural language processing.",
        },
    )
    profile.languages.set(Language.objects.filter(code__in=languages))
    return user


def hold(user, role_slug, group=None, *, status=Participation.Status.ACTIVE):
    """Give the user a current participation in that role (and group), unless they have one."""
    role = Role.objects.get(slug=role_slug)
    participation = Participation.objects.filter(
        user=user,
        role=role,
        working_group=group,
        status__in=[Participation.Status.ACTIVE, Participation.Status.WAITING],
    ).first()
    if participation is None:
        participation = Participation.objects.create(
            user=user, role=role, working_group=group, status=status, started_at=timezone.now()
        )
    return participation


def load(context: dict) -> None:
    organizers, _ = Group.objects.get_or_create(name=ORGANIZERS_GROUP)
    users = {}
    for label, email, password, name, affiliation, country, languages, tz in DEMO_ACCOUNTS:
        users[label] = make_user(
            email=email,
            password=password,
            display_name=name,
            affiliation=affiliation,
            country=country,
            languages=languages,
            time_zone=tz,
            staff=(label == "organizer"),
        )
        context.setdefault("accounts", {})[label] = (email, password)
    users["organizer"].groups.add(organizers)
    groups = context["groups"]
    hold(users["chair"], Role.CHAIR, groups["prompt-engineering"])
    hold(users["advisor"], Role.ADVISOR)
    hold(users["attendant"], Role.ATTENDANT)
    context["users"] = users
    load_participation(context)


# Volunteers of the 2021 workshop, to fill the groups: label, name, affiliation, country, languages, in directory.
VOLUNTEERS = [
    ("vera", "Vera Volunteer", "Sorbonne Université", "FR", ["fr", "en", "ar"], True),
    ("kofi", "Kofi Mensah", "University of Ghana", "GH", ["en", "tw"], True),
    ("lucia", "Lucía Gómez", "Universidad de Buenos Aires", "AR", ["es", "en", "pt"], True),
    ("arjun", "Arjun Rao", "IIT Madras", "IN", ["hi", "ta", "en"], True),
    ("mei", "Mei Lin", "Tsinghua University", "CN", ["zh", "en"], False),
    ("hana", "Hana Novak", "Charles University", "CZ", ["cs", "de", "en"], True),
    ("omar", "Omar Haddad", "Cairo University", "EG", ["ar", "en", "fr"], False),
    ("sofia", "Sofia Rossi", "Politecnico di Milano", "IT", ["it", "en"], True),
    ("yuki", "Yuki Tanaka", "RIKEN", "JP", ["ja", "en"], True),
]


def _volunteer(label, name, affiliation, country, languages, listed):
    user = make_user(
        email=f"{label}@example.org",
        password=f"{label}-takes-part-21",
        display_name=name,
        affiliation=affiliation,
        country=country,
        languages=languages,
    )
    Profile.objects.filter(user=user).update(show_in_directory=listed)
    return user


def _application(user, role_slug, group, status, *, days_ago, reviewer=None, note="", motivation=""):
    from roles.models import Application

    application, _ = Application.objects.get_or_create(
        user=user,
        role=Role.objects.get(slug=role_slug),
        working_group=group,
        status=status,
        defaults={
            "motivation": motivation or "I would like to help, and I have time on weekends.",
            "reviewer": reviewer,
            "review_note": note,
        },
    )
    created = timezone.now() - timezone.timedelta(days=days_ago)
    decided = None if status == Application.Status.PENDING else created + timezone.timedelta(days=1)
    Application.objects.filter(pk=application.pk).update(created_at=created, decided_at=decided)
    return application


def _audit(actor, action, *, subject, group, role_slug, from_state="", to_state="", note=""):
    from activity.models import ActivityLog

    ActivityLog.objects.get_or_create(
        actor=actor,
        action=action,
        subject=subject,
        working_group=group,
        data={"role": role_slug},
        defaults={"from_state": from_state, "to_state": to_state, "note": note},
    )


def load_participation(context: dict) -> None:
    """Members in several groups, a full group with a waiting list, applications in every state."""
    from roles.models import Application
    from working_groups.models import ProgressUpdate

    users, groups = context["users"], context["groups"]
    people = {spec[0]: _volunteer(*spec) for spec in VOLUNTEERS}
    users.update(people)
    chair, organizer = users["chair"], users["organizer"]
    prompts, sourcing, evaluation = groups["prompt-engineering"], groups["data-sourcing"], groups["evaluation"]
    # Prompt Engineering is full (capacity 3): Kofi waits for a seat.
    type(prompts).objects.filter(pk=prompts.pk).update(capacity=3)
    for label in ("vera", "lucia"):
        hold(people[label], Role.PARTICIPANT, prompts)
        _application(
            people[label],
            Role.PARTICIPANT,
            prompts,
            Application.Status.APPROVED,
            days_ago=30,
            reviewer=chair,
            note="Welcome aboard!",
        )
        _audit(
            chair,
            "roles.application.approved",
            subject=people[label],
            group=prompts,
            role_slug=Role.PARTICIPANT,
            from_state="pending",
            to_state="approved",
            note="Welcome aboard!",
        )
    hold(people["kofi"], Role.PARTICIPANT, prompts, status=Participation.Status.WAITING)
    _audit(
        chair,
        "roles.participation.waitlisted",
        subject=people["kofi"],
        group=prompts,
        role_slug=Role.PARTICIPANT,
        to_state="waiting",
    )
    # Other groups, with other chairs; Vera takes part in two groups.
    hold(people["hana"], Role.CHAIR, sourcing)
    hold(people["yuki"], Role.CHAIR, evaluation)
    for label, group in (
        ("arjun", sourcing),
        ("mei", sourcing),
        ("vera", sourcing),
        ("omar", evaluation),
        ("sofia", evaluation),
    ):
        hold(people[label], Role.PARTICIPANT, group)
    # Applications in every state.
    _application(
        people["arjun"],
        Role.PARTICIPANT,
        prompts,
        Application.Status.PENDING,
        days_ago=8,
        motivation="I wrote prompts for Hindi and Tamil datasets and would love to add more.",
    )
    _application(people["sofia"], Role.PARTICIPANT, prompts, Application.Status.PENDING, days_ago=1)
    _application(
        people["omar"],
        Role.PARTICIPANT,
        prompts,
        Application.Status.DECLINED,
        days_ago=20,
        reviewer=chair,
        note="The group is full this season; the Evaluation group needs Arabic speakers.",
    )
    _application(people["mei"], Role.PARTICIPANT, evaluation, Application.Status.WITHDRAWN, days_ago=12)
    _application(
        people["lucia"],
        Role.CHAIR,
        groups["tokenization"],
        Application.Status.PENDING,
        days_ago=3,
        motivation="I led the tokenizer study for Spanish and Portuguese and can coordinate the group.",
    )
    _application(
        people["hana"],
        Role.ADVISOR,
        None,
        Application.Status.PENDING,
        days_ago=2,
        motivation="I can advise on data governance for Central European languages.",
    )
    _application(people["yuki"], Role.ATTENDANT, None, Application.Status.APPROVED, days_ago=40)
    hold(people["yuki"], Role.ATTENDANT)
    hold(users["organizer"], Role.ATTENDANT)
    # Progress updates by the chair.
    for days_ago, title, body in (
        (
            10,
            "500 prompts for 40 datasets",
            "We collected **500 prompts** covering 40 datasets. Next: a review sprint.",
        ),
        (3, "Review sprint done", "Every prompt was reviewed by two people; the tooling is in the working documents."),
    ):
        update, _ = ProgressUpdate.objects.get_or_create(
            working_group=prompts, title=title, defaults={"author": chair, "body": body}
        )
        ProgressUpdate.objects.filter(pk=update.pk).update(
            created_at=timezone.now() - timezone.timedelta(days=days_ago)
        )
    _audit(
        organizer,
        "roles.participation.appointed",
        subject=people["hana"],
        group=sourcing,
        role_slug=Role.CHAIR,
        to_state="active",
    )
