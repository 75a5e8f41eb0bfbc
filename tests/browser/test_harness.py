"""The journeys' checks are not vacuous: each one catches what it is there to catch."""

import pytest

from .conftest import Journey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inline_script_is_blocked_and_reported_as_a_csp_violation(browser, live_server, axe_source):
    journey = Journey(browser, live_server.url, axe_source, "harness-csp")
    try:
        page = journey.goto("/")
        page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1'; document.body.append(s); }"
        )
        page.wait_for_timeout(200)
        assert page.evaluate("() => window.ran") is None
        assert any(problem.startswith("CSP: script-src") for problem in journey.problems), journey.problems
    finally:
        journey.close()


def test_console_errors_are_reported(browser, live_server, axe_source):
    journey = Journey(browser, live_server.url, axe_source, "harness-console")
    try:
        journey.goto("/").evaluate("() => console.error('something broke')")
        assert any("something broke" in problem for problem in journey.problems), journey.problems
    finally:
        journey.close()


def test_axe_fails_a_page_with_a_serious_violation(browser, live_server, axe_source):
    journey = Journey(browser, live_server.url, axe_source, "harness-axe")
    try:
        page = journey.goto("/")
        page.evaluate(
            "() => { const i = document.createElement('img'); i.src = '/static/img/favicon.svg'; document.querySelector('main').append(i); }"
        )
        with pytest.raises(AssertionError, match="image-alt"):
            journey.check("broken")
    finally:
        journey.close()
