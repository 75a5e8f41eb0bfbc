"""Playwright driving Debian's Chromium against the live test server.

Every page a journey visits goes through ``Journey.check``: it saves desktop and phone
screenshots under var/screenshots/, runs axe-core (installed with npm into var/axe on first
use, never committed) and fails on serious or critical violations, and the journey fails at
its end if any page logged a console error, threw, or broke the Content-Security-Policy.
"""

import subprocess

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
AXE_VERSION = "4.14.1"
AXE_DIR = settings.VAR_DIR / "axe"
SCREENSHOTS = settings.VAR_DIR / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Reports CSP violations to the test through a binding that survives navigations.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI} at ${event.documentURI}`);
});
"""
_AXE_RUN = """
async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} -> ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}
"""


@pytest.fixture(autouse=True)
def _languages(transactional_db):
    """Transactional tests start from a flushed database: put back the languages the migration seeds."""
    from accounts.languages import seed_languages

    seed_languages()


@pytest.fixture(scope="session")
def axe_source() -> str:
    script = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(AXE_DIR), "--no-audit", "--no-fund", f"axe-core@{AXE_VERSION}"],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return script.read_text()


@pytest.fixture
def browser(monkeypatch):
    """A fresh Chromium per test: Playwright's event loop must not outlive the test that needs it."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
    # itself are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Journey:
    """One person's browser context, with the checks every page of a journey must pass."""

    def __init__(self, browser, base_url: str, axe_source: str, name: str, **context_options):
        self.base_url = base_url
        self.axe_source = axe_source
        self.name = name
        self.problems: list[str] = []
        self.step = 0
        self.context = browser.new_context(viewport=DESKTOP, base_url=base_url, **context_options)
        self.context.set_default_timeout(15_000)
        self.context.expose_binding("reportCspViolation", lambda _source, text: self.problems.append(f"CSP: {text}"))
        self.context.add_init_script(_CSP_LISTENER)
        self.page = self.context.new_page()
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def _on_console(self, message):
        if message.type == "error":
            self.problems.append(f"console error on {self.page.url}: {message.text}")

    def goto(self, path: str):
        self.page.goto(path)
        return self.page

    def check(self, label: str) -> None:
        """Screenshot at desktop and phone widths and fail on serious accessibility problems."""
        self.page.wait_for_load_state("load")
        self.step += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        stem = f"{self.name}-{self.step:02d}-{label}"
        self.page.screenshot(path=SCREENSHOTS / f"{stem}-desktop.png", full_page=True)
        self.page.set_viewport_size(PHONE)
        self.page.screenshot(path=SCREENSHOTS / f"{stem}-phone.png", full_page=True)
        self.page.set_viewport_size(DESKTOP)
        # Evaluated through the debugging protocol, so the page's CSP does not block it.
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.evaluate(self.axe_source)
        violations = self.page.evaluate(_AXE_RUN)
        assert violations == [], f"axe on {label} ({self.page.url}):\n" + "\n".join(violations)

    def assert_clean(self) -> None:
        assert self.problems == [], "\n".join(self.problems)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def journeys(browser, live_server, axe_source, request):
    """Factory: ``journeys("volunteer")`` opens a browser context for one person of the journey."""
    opened: list[Journey] = []

    def open_journey(person: str, **context_options) -> Journey:
        """``context_options`` go to Playwright's new_context (e.g. ``timezone_id="Asia/Tokyo"``)."""
        name = f"{request.node.name.removeprefix('test_')}-{person}"
        journey = Journey(browser, live_server.url, axe_source, name, **context_options)
        opened.append(journey)
        return journey

    yield open_journey
    problems = [problem for journey in opened for problem in journey.problems]
    for journey in opened:
        journey.close()
    assert problems == [], "\n".join(problems)
