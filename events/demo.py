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
    from .services import room_of

    if "room" in fields:
        fields["room"] = room_of(event, fields["room"])
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


# Episode #1 (30 July 2021, inside the second ELLIS NLP workshop) was talks and poster sessions
# in which the working groups showed their first two months of work. The exact running order and
# poster titles are not in our sources: the times and titles below are demo content, marked so.
EPISODE_1_POSTERS = {
    "Poster session A: data": [
        ("data-sourcing", "Data sourcing: finding and documenting multilingual sources"),
        ("data-governance", "Data governance: who decides how the data is hosted and shared"),
        ("data-tooling", "Data tooling: cleaning and deduplicating at scale"),
        ("tokenization", "Tokenization for many languages"),
        ("metadata", "Metadata: using document context during training"),
        ("ethical-and-legal-scholarship", "Ethical and legal questions of a very large dataset"),
    ],
    "Poster session B: model": [
        ("modeling-architecture-and-scaling", "Which architecture to scale, and how to choose"),
        ("modeling-multilinguality", "From one language to many"),
        ("prompt-engineering", "Prompts as a way to use and evaluate language models"),
        ("engineering-and-scaling", "Training a very large model on Jean Zay"),
        ("evaluation", "Evaluating a multilingual language model"),
        ("carbon-footprint", "Measuring the carbon footprint of training"),
    ],
}
TRACK_OF_GROUP = {
    "data-sourcing": "Data",
    "data-governance": "Data",
    "data-tooling": "Data",
    "tokenization": "Data",
    "metadata": "Data",
    "ethical-and-legal-scholarship": "Society",
    "carbon-footprint": "Society",
}
TRACKS = (("Data", "#1f6feb"), ("Modeling", "#a3245e"), ("Society", "#1e6b3a"))
DEMO_NOTE = "\n\n*Demo content: the title and time are plausible, not taken from the 2021 programme.*"


def _tracks(event) -> dict:
    from .models import Track

    tracks = {}
    for order, (name, colour) in enumerate(TRACKS):
        tracks[name], _ = Track.objects.update_or_create(
            event=event, name=name, defaults={"colour": colour, "order": order}
        )
    return tracks


def _episode_1(organizer_speaker, chair_speaker, guest, groups):
    from .models import Room

    event = _event(
        "episode-1",
        title="BigScience Episode #1 🎉",
        description=(
            "Two months after the kick-off, the working groups present their first results: talks, then "
            "poster sessions where each group shows its work. The event is part of the second ELLIS NLP workshop."
        ),
        start=_at("2021-07-30", "13:00"),
        end=_at("2021-07-30", "17:00"),
        time_zone="Europe/Berlin",
        stream_url=STREAM,
        colocated_with=_host(
            "The second ELLIS NLP workshop", "2021-07-29", "2021-07-30", "Online", "https://ellis.eu/"
        ),
        registration_open=False,
    )
    for order, name in enumerate(("Main stage", "Poster hall A", "Poster hall B")):
        Room.objects.update_or_create(event=event, name=name, defaults={"order": order})
    tracks = _tracks(event)
    start = event.start
    _session(
        event, "Opening", start, 15, speakers=[organizer_speaker], room=Room.objects.get(event=event, name="Main stage")
    )
    _session(
        event,
        "Where the working groups stand",
        start + timedelta(minutes=15),
        45,
        kind=Session.Kind.KEYNOTE,
        speakers=[chair_speaker],
        room=Room.objects.get(event=event, name="Main stage"),
        abstract="A tour of the working groups after two months: what each set out to do and what it has so far."
        + DEMO_NOTE,
    )
    for index, (title, posters) in enumerate(EPISODE_1_POSTERS.items()):
        hall = Room.objects.get(event=event, name=f"Poster hall {'AB'[index]}")
        session = _session(
            event,
            title,
            start + timedelta(minutes=60),
            90,
            kind=Session.Kind.POSTER_SESSION,
            room=hall,
            track=tracks["Data" if index == 0 else "Modeling"],
            abstract="Each working group presents its poster; come and talk to its members." + DEMO_NOTE,
        )
        for slug, poster_title in posters:
            group = groups.get(slug)
            poster, _ = Poster.objects.update_or_create(
                session=session, title=poster_title, defaults={"working_group": group}
            )
            poster.presenters.set([chair_speaker] if slug == "prompt-engineering" else [])
        session.working_groups.set([groups[slug] for slug, _title in posters if slug in groups])
    _session(event, "Break", start + timedelta(minutes=150), 15, kind=Session.Kind.BREAK)
    _session(
        event,
        "Talks from the ELLIS NLP workshop",
        start + timedelta(minutes=165),
        60,
        speakers=[guest],
        room=Room.objects.get(event=event, name="Main stage"),
        abstract="The host workshop's own talks, which BigScience attendants could follow." + DEMO_NOTE,
    )
    _session(
        event,
        "Closing",
        start + timedelta(minutes=225),
        15,
        speakers=[organizer_speaker],
        room=Room.objects.get(event=event, name="Main stage"),
    )
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
    groups = context.get("groups", {})
    episode_1 = _episode_1(organizer_speaker, chair_speaker, guest, groups)
    episode_3 = _episode_3(organizer_speaker)
    upcoming = _upcoming(organizer_speaker, chair_speaker, groups)
    load_programme(
        users=users,
        groups=groups,
        episode_1=episode_1,
        episode_3=episode_3,
        upcoming=upcoming,
        speakers={"organizer": organizer_speaker, "chair": chair_speaker},
    )
    for label, event in (("attendant", episode_1), ("attendant", upcoming), ("advisor", upcoming)):
        if label in users and not Registration.objects.filter(event=event, user=users[label], session=None).exists():
            Registration.objects.create(event=event, user=users[label], status=Registration.Status.REGISTERED)
    context["events"] = {"upcoming": upcoming}


# Episode #3's round tables and who led them, from the published programme of the NeurIPS 2021 social.
EPISODE_3_CHAIRS = {
    "Opening": [("Thomas Wolf", "Hugging Face")],
    "Ethical and legal scholarship": [
        ("Meg Mitchell", ""),
        ("Yacine Jernite", ""),
        ("Carlos Muñoz Ferrandis", ""),
        ("Giada Pistilli", ""),
    ],
    "Modeling: architecture and scaling": [("Julien Launay", ""), ("Iz Beltagy", "")],
    "Modeling: multilinguality": [("Vassilina Nikoulina", ""), ("Hady Elsahar", "")],
    "Prompt engineering": [("Victor Sanh", ""), ("Stephen Bach", ""), ("Albert Webson", ""), ("Colin Raffel", "")],
    "Engineering and scaling": [("Max Ryabinin", "")],
    "Carbon footprint": [("Sasha Luccioni", ""), ("Sylvain Viguier", "")],
}


def load_programme(*, users, groups, episode_1, episode_3, upcoming, speakers) -> None:
    """Speakers' profiles, Episode #3's real round-table chairs, calls and proposals, an agenda."""
    from .models import Call, Proposal, Star

    for title, people in EPISODE_3_CHAIRS.items():
        session = episode_3.sessions.get(title=title)
        session.speakers.set([_speaker(name, affiliation) for name, affiliation in people])
    episode_3.sessions.filter(title="Closing").get().speakers.clear()

    organizer = speakers["organizer"]
    organizer.bio = "Runs the portal's demo events. *Demo account*: not a real person."
    organizer.orcid = "0000-0002-1825-0097"  # the example iD of ORCID's own documentation
    organizer.website_url = "https://bigscience.huggingface.co/"
    organizer.save(update_fields=["bio", "orcid", "website_url", "updated_at"])
    chair = speakers["chair"]
    chair.bio = "Chairs the prompt engineering working group in the demo. *Demo account*."
    chair.save(update_fields=["bio", "updated_at"])

    # Episode #1's posters came from the working groups: each as an accepted, placed proposal.
    call_1, _ = Call.objects.update_or_create(
        event=episode_1,
        defaults={
            "accepts_talks": True,
            "accepts_posters": True,
            "deadline": _at("2021-07-23", "22:00"),
            "is_open": False,
            "text": "Each working group shows its first results as a poster, and may propose a short talk. (Demo text.)",
        },
    )
    for poster in Poster.objects.filter(session__event=episode_1).select_related("working_group"):
        if poster.working_group is None:
            continue
        proposal, _ = Proposal.objects.update_or_create(
            call=call_1,
            working_group=poster.working_group,
            title=poster.title,
            defaults={
                "kind": Proposal.Kind.POSTER,
                "abstract": poster.abstract or f"The first two months of the {poster.working_group.name} group.",
                "status": Proposal.Status.ACCEPTED,
                "length_minutes": 90,
                "proposer": users.get("chair") if poster.working_group.slug == "prompt-engineering" else None,
                "poster": poster,
                "created_at": _at("2021-07-15", "10:00"),
            },
        )
        proposal.speakers.set(poster.presenters.all())

    # The next episode has an open call, with one proposal waiting for the organizers.
    call_next, _ = Call.objects.update_or_create(
        event=upcoming,
        defaults={
            "accepts_talks": True,
            "accepts_posters": True,
            "deadline": upcoming.start - timedelta(days=3),
            "is_open": True,
            "text": "Working groups: propose a talk on how you evaluate the model, or a poster of your results.",
        },
    )
    if "prompt-engineering" in groups and users.get("chair"):
        proposal, _ = Proposal.objects.get_or_create(
            call=call_next,
            working_group=groups["prompt-engineering"],
            title="Prompt templates for multilingual evaluation",
            defaults={
                "kind": Proposal.Kind.TALK,
                "abstract": "How the group writes and checks prompts in many languages. (Demo proposal.)",
                "length_minutes": 20,
                "needs": "Screen sharing.",
                "proposer": users["chair"],
            },
        )
        proposal.speakers.set([chair])

    # The attendant starred both round tables of the next episode: they overlap, the agenda says so.
    if users.get("attendant"):
        for session in upcoming.sessions.filter(kind=Session.Kind.ROUND_TABLE):
            Star.objects.get_or_create(user=users["attendant"], session=session)
