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
