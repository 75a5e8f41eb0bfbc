"""Journey: a chair publishes a guided task; an attendant who speaks Swahili finds it on the board,
claims it and reports 30 items; the chair accepts; the progress bar and the languages page move."""

import pytest

from tasks.models import Contribution, Skill, Task
from tests.factories import ParticipationFactory, RoleFactory, UserFactory, WorkingGroupFactory
from tests.tasks.factories import TaskFactory

from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TITLE = "Describe Swahili news sources"


def _chair_publishes(journey, group):
    sign_in(journey, "chair@example.org")
    page = journey.goto(f"/groups/{group.slug}/manage/")
    page.get_by_role("link", name="Guided tasks and tool tokens").click()
    page.wait_for_url(f"**/tasks/groups/{group.slug}/")
    journey.check("group-tasks")
    page.get_by_role("link", name="New task").click()
    page.wait_for_url("**/new/")
    page.locator("#id_title").fill(TITLE)  # "Title in French" is a label too
    page.locator("#id_summary").fill("Newspapers and radio transcripts in Swahili.")
    page.locator("#id_guidelines").fill("Fill **one row** of the sheet per source.")
    page.get_by_label("How many are needed").fill("40")
    page.get_by_label("Where the work happens").fill("https://sheet.example.org/swahili")
    page.get_by_label("Languages").select_option("sw")
    page.get_by_label("Finding and describing data sources").check()
    journey.check("task-form")
    page.get_by_role("button", name="Save the task").click()
    page.get_by_text("saved as a draft").wait_for()
    journey.check("task-draft")
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("The task is now open.").wait_for()
    journey.check("task-published")


def _attendant_claims_and_reports(journey):
    sign_in(journey, "zawadi@example.org")
    page = journey.goto("/")
    page.get_by_role("link", name="Tasks", exact=True).click()
    page.wait_for_url("**/tasks/")
    page.get_by_text("Showing tasks in the languages of your profile").wait_for()
    assert page.get_by_role("link", name="Une tâche en français").count() == 0  # not in her languages
    journey.check("board")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Claim this task").click()
    page.wait_for_url("**/tasks/claims/*/")
    journey.check("report-form")
    page.get_by_role("spinbutton", name="Items").fill("30")
    page.locator("#id_language").select_option("sw")
    page.get_by_label("Link").fill("https://sheet.example.org/swahili#row-1")
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("Reported 30 items").wait_for()
    journey.check("reported")


def _chair_accepts(journey, task):
    page = journey.goto(f"/tasks/{task.pk}/review/")
    journey.check("review")
    page.get_by_role("radio", name="Accept").check()
    page.get_by_role("button", name="Save the review").click()
    page.get_by_text("Your review is saved").wait_for()
    page = journey.goto(f"/tasks/{task.pk}/")
    progress = page.locator(f"#progress-{task.pk}")
    assert progress.get_attribute("value") == "30" and progress.get_attribute("max") == "40"
    page.get_by_text("30 of 40 items accepted (75%)").wait_for()
    journey.check("progress-moved")


def _swahili_row(journey) -> str:
    page = journey.goto("/tasks/languages/")
    return page.locator("#lang-sw svg").get_attribute("aria-label")


def test_chair_publishes_attendant_reports_chair_accepts(journeys):
    # A transactional test may start from a flushed database: put back the skill the migration seeds.
    Skill.objects.get_or_create(slug="data-sourcing", defaults={"name": "Finding and describing data sources"})
    group = WorkingGroupFactory(name="Data Sourcing", slug="data-sourcing")
    ParticipationFactory(user__email="chair@example.org", role=RoleFactory(slug="chair"), working_group=group)
    zawadi = UserFactory(email="zawadi@example.org", profile={"display_name": "Zawadi", "languages": ["sw", "en"]})
    ParticipationFactory(user=zawadi, role=RoleFactory(slug="attendant", committee=None))
    TaskFactory(working_group=group, title="Une tâche en français", languages=["fr"])

    chair = journeys("chair")
    _chair_publishes(chair, group)
    task = Task.objects.get(title=TITLE)
    assert task.status == "open"

    attendant = journeys("attendant")
    before = _swahili_row(attendant)
    assert before == "1 speakers, 1 open tasks, 0 accepted items"
    attendant.check("languages-before")
    _attendant_claims_and_reports(attendant)

    _chair_accepts(chair, task)
    assert list(Contribution.objects.values_list("user__email", "items", "status")) == [
        ("zawadi@example.org", 30, "accepted")
    ]
    after = _swahili_row(attendant)
    assert after == "1 speakers, 1 open tasks, 30 accepted items"
    attendant.check("languages-after")
