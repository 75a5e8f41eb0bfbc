import pytest

from tests.factories import NewsPostFactory, RoleFactory

pytestmark = pytest.mark.django_db


def test_home_presents_the_workshop_roles_and_latest_news(client):
    RoleFactory(slug="advisor", name="Advisor", time_commitment="Light: read a newsletter every two weeks")
    NewsPostFactory(title="On to the moon")
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "one-year long research workshop on very large language models" in html
    assert "May 2021" in html and "May 2022" in html
    assert "Light: read a newsletter every two weeks" in html
    assert "On to the moon" in html
    assert '<main id="main"' in html and 'aria-label="Main"' in html


def test_home_query_count_does_not_grow_with_news(client, django_assert_max_num_queries):
    NewsPostFactory.create_batch(2)
    with django_assert_max_num_queries(8) as few:
        client.get("/")
    NewsPostFactory.create_batch(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/")


def test_unknown_page_answers_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()


def test_pages_send_a_content_security_policy_without_unsafe_inline(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_static_assets_and_favicon_are_served_by_the_project(client):
    for path in ("/static/css/site.css", "/static/js/site.js", "/static/img/favicon.svg", "/static/img/favicon.ico"):
        response = client.get(path)
        assert response.status_code == 200, path


def test_database_outage_answers_503_with_retry_after_not_500(client, monkeypatch):
    from django.db import OperationalError

    from bigscience_portal import selectors

    def unreachable():
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(selectors, "home_page_data", unreachable)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "cannot reach its database" in response.content.decode()


def test_other_errors_still_answer_the_friendly_500(client, monkeypatch):
    from bigscience_portal import selectors

    def broken():
        raise ValueError("a bug")

    monkeypatch.setattr(selectors, "home_page_data", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
