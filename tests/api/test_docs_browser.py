"""The API documentation and the token page in Debian's Chromium: they work under the strict CSP."""

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportProblem(`CSP: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


@pytest.fixture
def page(monkeypatch, live_server):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.expose_binding("reportProblem", lambda source, text: problems.append(text))
        context.add_init_script(_CSP_LISTENER)
        tab = context.new_page()
        tab.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        tab.on("requestfailed", lambda request: problems.append(f"request failed: {request.url}"))
        tab.problems = problems
        tab.base = live_server.url
        yield tab
        browser.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_docs_page_renders_every_operation_without_a_csp_violation(page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{page.base}/api/docs/")
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() >= 30
    assert page.locator("text=/api/v1/me/registrations/").count() >= 1
    assert page.problems == []
    assert all(url.startswith(page.base) or url.startswith("data:") for url in requested), requested


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_token_page_creates_and_shows_a_token_without_a_csp_violation(page, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": page.base,
            }
        ]
    )
    page.goto(f"{page.base}/me/tokens/")
    page.fill("#id_name", "dashboard")
    page.click("text=Create token")
    raw = page.input_value("#new-token")
    assert raw.startswith("bsp_")
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the token page scrolls sideways on a phone"
    assert page.problems == []
