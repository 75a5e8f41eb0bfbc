"""Plain-text e-mails show what people typed as typed; HTML bodies escape it."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from bigscience_portal.mail import render_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NAME = "O'Brien <Lab> & Co"
ENTITIES = ("&lt;", "&gt;", "&#x27;", "&#39;", "&amp;", "&quot;")
EMAIL_DIRS = sorted(p.name for p in (Path(settings.BASE_DIR) / "templates" / "emails").iterdir() if p.is_dir())


def _value_for(name: str):
    """Moments, slugs and numbers are real (filters and addresses need them); everything else is the
    hostile name."""
    from django.utils import timezone

    if name in MOMENTS or name.endswith("_at"):
        return timezone.now()
    if name == "slug":
        return "a-slug"
    if name in ("pk", "id") or name.endswith("_id"):
        return 7  # addresses built from an object's number need one
    if name in COUNTS or name.endswith("_count"):
        return 3  # the plural form of {% blocktranslate count %} needs a number
    if name.endswith("_html"):
        return ""  # already sanitised HTML, marked safe by the template on purpose
    return Anything()


MOMENTS = {"start", "end", "period_start", "utc"}
COUNTS = {"count", "new_participants"}  # numbers that choose a plural form


class Anything(str):
    """A context value that answers every lookup (attribute, key, index) with itself: the hostile name."""

    def __new__(cls):
        return super().__new__(cls, NAME)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _value_for(name)

    def __getitem__(self, key):
        return _value_for(key) if isinstance(key, str) else Anything()

    def __iter__(self):
        return iter([Anything()])

    def __call__(self, *args, **kwargs):
        return Anything()


def _names_in(name: str) -> set[str]:
    """The top-level variables the e-mail's templates use."""
    folder = Path(settings.BASE_DIR) / "templates" / "emails" / name
    source = " ".join(path.read_text() for path in folder.iterdir())
    found = set(re.findall(r"{{\s*([a-z_]\w*)", source)) | set(re.findall(r"\b([a-z_]\w*)\.\w", source))
    return found - {"site_url"}


@pytest.mark.parametrize("name", EMAIL_DIRS)
def test_every_email_template_escapes_html_only(name):
    """Every variable of every e-mail is the hostile name: text shows it as typed, HTML escapes it."""
    context = {variable: _value_for(variable) for variable in _names_in(name)}
    subject, text, html = render_email(name, {**context, "site_url": "https://portal.example.org"})
    assert NAME in subject + text
    assert [e for e in ENTITIES if e in subject + text] == []
    if "<" in html:
        assert NAME not in html


def test_an_application_e_mail_shows_the_name_as_typed_in_text_and_escaped_in_html(
    group, organizer, django_capture_on_commit_callbacks
):
    from roles import services
    from tests.factories import RoleFactory

    person = UserFactory(profile={"display_name": NAME})
    chair_role = RoleFactory(slug="chair")
    application = services.submit_application(
        user=person, role=chair_role, working_group=group, motivation="I'd coordinate <everything> & more."
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_application(application, approve=True, actor=organizer, note="Welcome, O'Brien & Co <3")
    message = next(m for m in mail.outbox if m.to == [person.email])
    html = message.alternatives[0][0]
    assert f"Hello {NAME}," in message.body
    assert "Welcome, O'Brien & Co <3" in message.body
    assert [e for e in ENTITIES if e in message.subject + message.body] == []
    assert "Hello O&#x27;Brien &lt;Lab&gt; &amp; Co," in html
    assert "<3" not in html and "&lt;3" in html
