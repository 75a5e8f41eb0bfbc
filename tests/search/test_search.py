"""The header's search: providers registered per app, results grouped by kind, only what the public may
see, constant queries per provider (SQLite's word match here; PostgreSQL's full-text search marked)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bigscience_portal import search
from tests.events.factories import EventFactory, SessionFactory
from tests.factories import NewsPostFactory, ParticipationFactory, RoleFactory, UserFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


def _kinds(query):
    return {provider.kind: [r.title for r in results] for provider, results in search.search_all(query)}


@pytest.fixture
def world(db):
    participant = RoleFactory(slug="participant")
    group = WorkingGroupFactory(name="Multilingual data", short_description="Gathers multilingual corpora.")
    WorkingGroupFactory(name="Evaluation", short_description="Benchmarks.")
    ParticipationFactory(
        role=participant,
        working_group=group,
        user=UserFactory(profile={"display_name": "Marta Multilingual", "show_in_directory": True}),
    )
    ParticipationFactory(
        role=participant,
        working_group=group,
        user=UserFactory(profile={"display_name": "Hidden Multilingual", "show_in_directory": False}),
    )
    # Opted in but holding no role shown publicly: not in the directory either.
    UserFactory(profile={"display_name": "Roleless Multilingual", "show_in_directory": True})
    event = EventFactory(title="Multilingual evening", slug="multilingual-evening")
    EventFactory(title="Multilingual draft", slug="multilingual-draft", is_published=False)
    SessionFactory(event=event, title="Multilingual tokenizers")
    SessionFactory(event=EventFactory(is_published=False), title="Multilingual secret session")
    NewsPostFactory(title="Multilingual corpus released")
    NewsPostFactory(title="Multilingual draft news", is_published=False)
    return group


def test_search_finds_each_kind_and_nothing_private(world):
    assert _kinds("multilingual") == {
        "groups": ["Multilingual data"],
        "people": ["Marta Multilingual"],
        "events": ["Multilingual evening"],
        "sessions": ["Multilingual tokenizers"],
        "news": ["Multilingual corpus released"],
    }


def test_people_who_did_not_opt_in_never_appear_whatever_the_query(world):
    for query in ("Hidden", "Hidden Multilingual", "Roleless", "person", "example.org"):
        assert "people" not in _kinds(query), query
    # The same affiliation finds the one who opted in, and only her.
    assert _kinds("Example University")["people"] == ["Marta Multilingual"]


def test_every_word_must_match_and_the_query_is_bounded(world):
    assert _kinds("multilingual corpora") == {"groups": ["Multilingual data"]}
    assert search.clean_query("  a\x00b  " + "word " * 20) == "a b " + "word " * 5 + "word"
    assert search.clean_query("") == "" and search.search_all("   ") == []


def test_search_page_groups_results_by_kind(client, world):
    page = client.get(reverse("search"), {"q": "multilingual"}).content.decode()
    headings = [h for h in ("Working groups", "People", "Events", "Sessions", "News") if f">{h}</h2>" in page]
    assert headings == ["Working groups", "People", "Events", "Sessions", "News"]
    assert page.index(">Working groups</h2>") < page.index(">People</h2>") < page.index(">News</h2>")
    assert f'href="{world.get_absolute_url()}"' in page
    assert "Hidden Multilingual" not in page and "Multilingual draft" not in page and "secret" not in page
    assert 'href="/events/multilingual-evening/#session-' in page


@pytest.mark.parametrize("query", ["", "zzz-nothing", "<script>alert(1)</script>", "a" * 5000, "%", "'\""])
def test_search_page_answers_any_query_without_error(client, world, query):
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_a_provider_registered_later_appears_in_the_results(world):
    def tasks(query, limit):
        return [search.SearchResult(title=f"Task about {query}", url="/tasks/1/")]

    search.register(kind="tasks", label="Tasks", search=tasks, order=60)
    try:
        assert _kinds("multilingual")["tasks"] == ["Task about multilingual"]
    finally:
        search._providers.pop("tasks")


def test_each_provider_runs_a_constant_number_of_queries(world):
    def counts():
        result = {}
        for provider in search.providers():
            with CaptureQueriesContext(connection) as queries:
                provider.search("multilingual", 5)
            result[provider.kind] = len(queries)
        return result

    few = counts()
    participant = RoleFactory(slug="participant")
    for i in range(8):
        group = WorkingGroupFactory(name=f"Multilingual {i}")
        ParticipationFactory(
            role=participant,
            working_group=group,
            user=UserFactory(profile={"display_name": f"Multilingual {i}", "show_in_directory": True}),
        )
        SessionFactory(event=EventFactory(title=f"Multilingual {i}"), title=f"Multilingual talk {i}")
        NewsPostFactory(title=f"Multilingual {i}")
    assert counts() == few
    assert max(few.values()) <= 2


def test_search_page_query_count_is_constant(client, world):
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("search"), {"q": "multilingual"})
    for i in range(6):
        NewsPostFactory(title=f"Multilingual {i}")
        EventFactory(title=f"Multilingual {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("search"), {"q": "multilingual"})
    assert len(many) == len(one)


@pytest.mark.postgres
def test_postgres_full_text_search_stems_and_ranks(world):
    assert search.uses_full_text()
    NewsPostFactory(title="Tokenizer notes", body="We tokenized the corpus.")
    NewsPostFactory(title="Tokenizers everywhere", body="Tokenizers, tokenizers.")
    # "tokenizing" finds both through English stemming; the title match ranks first.
    assert _kinds("tokenizers")["news"][0] == "Tokenizers everywhere"
    assert set(_kinds("tokenizer")["news"]) == {"Tokenizer notes", "Tokenizers everywhere"}
    assert _kinds("multilingual -evening").get("events") is None  # websearch syntax: minus excludes
    assert "people" not in _kinds("Hidden")
