"""The 2021 live events for `load_demo`, plus one upcoming event so registration can be tried."""

from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

from .models import Event, HostEvent, Poster, Registration, Session, Speaker

STREAM = "https://www.youtube.com/@BigScienceWorkshop"


def _at(day: str, hm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hm}:00").replace(tzinfo=UTC)


def _host(name: str, start: str, end: str, place: str, url: str) -> HostEvent:
    host, _ = HostEvent.objects.update_or_create(
        name=name,
        defaults={"start": date.fromisoformat(start), "end": date.fromisoformat(end), "place": place, "url": url},
    )
    return host


def _event(slug: str, **fields) -> Event:
    event, _ = Event.objects.update_or_create(slug=slug, defaults={"is_published": True, **fields})
    return event


def _session(
    event: Event, title: str, start: datetime, minutes: int, *, kind=Session.Kind.TALK, speakers=(), **fields
) -> Session:
    session, _ = Session.objects.update_or_create(
        event=event,
        title=title,
        defaults={"kind": kind, "start": start, "end": start + timedelta(minutes=minutes), **fields},
    )
    session.speakers.set(speakers)
    return session


def _speaker(name: str, affiliation: str = "", user=None) -> Speaker:
    speaker, _ = Speaker.objects.get_or_create(name=name, affiliation=affiliation, defaults={"user": user})
    if user is not None and speaker.user_id != user.pk:
        speaker.user = user
        speaker.save(update_fields=["user"])
    return speaker


def _kickoff(organizer_speaker, chair_speaker):
    event = _event(
        "kick-off-2021",
        title="BigScience kick-off",
        description="The public start of the workshop: what BigScience sets out to do in a year, how the working groups are organized, and how to join them.",
        start=_at("2021-04-28", "14:00"),
        end=_at("2021-04-28", "17:00"),
        time_zone="Europe/Paris",
        stream_url=STREAM,
        registration_open=False,
        recording_url=STREAM,
        recording_announced_at=_at("2021-04-29", "09:00"),
    )
    start = event.start
    _session(
        event, "Welcome and goals of the workshop", start, 30, kind=Session.Kind.KEYNOTE, speakers=[organizer_speaker]
    )
    _session(
        event,
        "How the working groups are organized",
        start + timedelta(minutes=30),
        60,
        speakers=[organizer_speaker, chair_speaker],
    )
    _session(event, "Break", start + timedelta(minutes=90), 15, kind=Session.Kind.BREAK)
    _session(
        event,
        "Panel: open questions on very large language models",
        start + timedelta(minutes=105),
        75,
        kind=Session.Kind.PANEL,
        speakers=[organizer_speaker, chair_speaker],
    )
    return event


def _episode_1(organizer_speaker, chair_speaker, guest):
    event = _event(
        "episode-1",
        title="BigScience Episode #1 🎉",
        description="Talks on the first months of work and poster sessions of the working groups.",
        start=_at("2021-07-30", "13:00"),
        end=_at("2021-07-30", "17:00"),
        time_zone="Europe/Berlin",
        stream_url=STREAM,
        colocated_with=_host(
            "The second ELLIS NLP workshop", "2021-07-29", "2021-07-30", "Online", "https://ellis.eu/"
        ),
        registration_open=False,
    )
    start = event.start
    _session(event, "Opening", start, 15, speakers=[organizer_speaker], room="Main stage")
    _session(
        event,
        "Where the working groups stand",
        start + timedelta(minutes=15),
        45,
        kind=Session.Kind.KEYNOTE,
        speakers=[chair_speaker],
        room="Main stage",
    )
    posters = _session(
        event,
        "Poster session: the working groups",
        start + timedelta(minutes=60),
        90,
        kind=Session.Kind.POSTER_SESSION,
        room="Poster hall",
    )
    for title, who in (
        ("Building a multilingual dataset with data governance in mind", guest),
        ("Prompt engineering at scale", chair_speaker),
        ("Measuring the carbon footprint of training", organizer_speaker),
    ):
        poster, _ = Poster.objects.get_or_create(session=posters, title=title)
        poster.presenters.set([who])
    _session(event, "Break", start + timedelta(minutes=150), 15, kind=Session.Kind.BREAK)
    _session(
        event,
        "Talks from the ELLIS NLP workshop",
        start + timedelta(minutes=165),
        60,
        speakers=[guest],
        room="Main stage",
    )
    _session(event, "Closing", start + timedelta(minutes=225), 15, speakers=[organizer_speaker], room="Main stage")
    return event


ROUND_TABLES = [
    ("Ethical and legal scholarship", "Modeling: architecture and scaling"),
    ("Modeling: multilinguality", "Prompt engineering"),
    ("Engineering and scaling", "Carbon footprint"),
]


def _episode_3(organizer_speaker):
    event = _event(
        "episode-3-neurips-2021",
        title="BigScience Episode #3: NeurIPS 2021 social",
        description="A social at NeurIPS 2021: 30-minute round tables with the working groups. Pick your tables once registered.",
        start=_at("2021-12-08", "18:00"),
        end=_at("2021-12-08", "21:00"),
        time_zone="UTC",
        stream_url="https://neurips.cc/",
        colocated_with=_host(
            "NeurIPS 2021", "2021-12-06", "2021-12-14", "Online", "https://neurips.cc/Conferences/2021"
        ),
        registration_open=False,
        capacity=120,
    )
    start = event.start
    _session(event, "Opening", start, 30, speakers=[organizer_speaker], room="Plenary")
    for index, pair in enumerate(ROUND_TABLES):
        for table, title in enumerate(pair, start=1):
            _session(
                event,
                title,
                start + timedelta(minutes=30 * (index + 1)),
                30,
                kind=Session.Kind.ROUND_TABLE,
                room=f"Table {table}",
                capacity=12,
            )
    _session(event, "Mingling", start + timedelta(minutes=120), 30, kind=Session.Kind.BREAK, room="Plenary")
    _session(event, "Closing", start + timedelta(minutes=150), 30, speakers=[organizer_speaker], room="Plenary")
    return event


def _upcoming(organizer_speaker, chair_speaker, groups):
    day = (timezone.now() + timedelta(days=10)).astimezone(UTC).replace(hour=15, minute=0, second=0, microsecond=0)
    event = _event(
        "next-episode",
        title="BigScience next episode: evaluating the model",
        description="A live session on evaluating the workshop's model, with round tables. Places are limited: when it is full, join the waiting list.",
        start=day,
        end=day + timedelta(hours=2),
        time_zone="Europe/Paris",
        stream_url=STREAM,
        registration_open=True,
        capacity=3,
        registration_deadline=None,
    )
    _session(
        event,
        "Where evaluation stands",
        day,
        45,
        kind=Session.Kind.KEYNOTE,
        speakers=[organizer_speaker],
        room="Main stage",
    )
    _session(
        event,
        "Round table: prompts for evaluation",
        day + timedelta(minutes=45),
        30,
        kind=Session.Kind.ROUND_TABLE,
        speakers=[chair_speaker],
        room="Table 1",
        capacity=2,
    )
    _session(
        event,
        "Round table: multilingual benchmarks",
        day + timedelta(minutes=45),
        30,
        kind=Session.Kind.ROUND_TABLE,
        room="Table 2",
        capacity=2,
    )
    _session(event, "Closing", day + timedelta(minutes=90), 30, speakers=[organizer_speaker], room="Main stage")
    if "prompt-engineering" in groups:
        event.working_groups.set([groups["prompt-engineering"]])
    return event


def load(context: dict) -> None:
    users = context.get("users", {})
    organizer_speaker = _speaker("Olivia Organizer", "Hugging Face", users.get("organizer"))
    chair_speaker = _speaker("Chen Chair", "University of Tokyo", users.get("chair"))
    guest = _speaker("A guest speaker from ELLIS", "ELLIS")
    _kickoff(organizer_speaker, chair_speaker)
    episode_1 = _episode_1(organizer_speaker, chair_speaker, guest)
    _episode_3(organizer_speaker)
    upcoming = _upcoming(organizer_speaker, chair_speaker, context.get("groups", {}))
    for label, event in (("attendant", episode_1), ("attendant", upcoming), ("advisor", upcoming)):
        if label in users and not Registration.objects.filter(event=event, user=users[label], session=None).exists():
            Registration.objects.create(event=event, user=users[label], status=Registration.Status.REGISTERED)
    context["events"] = {"upcoming": upcoming}
