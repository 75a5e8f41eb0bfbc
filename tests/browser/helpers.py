"""What the journeys do the way a person would: by keyboard, and by reading their e-mail."""

import re

from django.core import mail

PASSWORD = "correct-horse-battery-staple"
FACTORY_PASSWORD = "a-long-test-password"  # what tests.factories.UserFactory sets


def tab_to(page, locator, *, limit: int = 120, backwards: bool = False) -> None:
    """Press Tab until the element has the keyboard focus, as a keyboard-only person would."""
    handle = locator.element_handle()
    for _ in range(limit):
        if page.evaluate("(el) => el === document.activeElement", handle):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"{locator} never received the focus after {limit} presses of Tab")


def link_in_last_email(to: str, pattern: str) -> str:
    """The path of the first link matching ``pattern`` in the newest e-mail sent to ``to``."""
    messages = [message for message in mail.outbox if to in message.to]
    assert messages, f"no e-mail to {to}; sent: {[(m.to, m.subject) for m in mail.outbox]}"
    match = re.search(rf"https?://[^/\s]+({pattern}[^\s\"<>]*)", messages[-1].body)
    assert match, messages[-1].body
    return match.group(1)


def clear_outbox() -> None:
    mail.outbox.clear()


def sign_in(journey, email: str, password: str = FACTORY_PASSWORD) -> None:
    """Sign in through the site's form."""
    page = journey.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state("load")
