"""Journey 5: a chair registers a paper and picks its contributors from the proposal; a contributor
confirms with an ORCID iD from the e-mail's link; the chair downloads the BibTeX and the LaTeX
author list, which are parsed back here."""

import datetime
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.middlewares import SeparateCoAuthors
from django.utils import timezone
from pylatexenc import latexwalker, macrospec
from pylatexenc.latex2text import LatexNodes2Text

from credit.models import Contributor, Output
from tests.factories import ParticipationFactory, RoleFactory, UserFactory, WorkingGroupFactory

from .helpers import link_in_last_email, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CONTRIBUTOR = "zoe@example.org"


def _people():
    group = WorkingGroupFactory(name="Prompt engineering", slug="prompt-engineering")
    since = timezone.now() - datetime.timedelta(days=90)
    chair = ParticipationFactory(
        role=RoleFactory(slug="chair"),
        working_group=group,
        started_at=since,
        user__email="chen@example.org",
        user__profile={"display_name": "Chen Chair", "affiliation": "University of Tokyo"},
    ).user
    names = {CONTRIBUTOR: "Zoë Ñúñez", "li@example.org": "李明", "smith@example.org": "Smith, Jr., John"}
    for email, name in names.items():
        ParticipationFactory(
            role=RoleFactory(slug="participant"),
            working_group=group,
            started_at=since,
            user=UserFactory(email=email, profile={"display_name": name, "affiliation": "Inria & CNRS"}),
        )
    return group, chair


def _chair_registers_and_picks(journey, chair, group):
    sign_in(journey, chair.email)
    page = journey.goto("/outputs/")
    journey.check("outputs")
    page.get_by_role("link", name="Register an output").click()
    page.wait_for_url("**/outputs/new/")
    journey.check("register")
    page.get_by_label("Title").fill("Prompting in many languages: what transfers")
    page.get_by_label("Kind").select_option("paper")
    page.get_by_label(group.name).check()
    page.get_by_label("Venue").fill("Findings of ACL")
    page.get_by_role("button", name="Register the output").click()
    page.wait_for_url("**/contributors/")
    journey.check("contributors-empty")
    for name in ("Zoë Ñúñez", "李明", "Smith, Jr., John"):
        page.get_by_label(name, exact=True).check()
    page.get_by_label("Software", exact=True).check()
    page.get_by_label("Data curation", exact=True).check()
    page.get_by_role("button", name="Add the people picked").click()
    page.wait_for_load_state("load")
    page.get_by_text("3 contributor(s) added").wait_for()
    journey.check("contributors-picked")


def _contributor_confirms(journey):
    sign_in(journey, CONTRIBUTOR)
    page = journey.goto(link_in_last_email(CONTRIBUTOR, "/credits/confirm/"))
    journey.check("confirm")
    page.get_by_label("Name as it should appear").fill("Zoë Ñúñez-García")
    page.get_by_label("Affiliations").fill("Université Paris-Saclay\nInria & CNRS")
    page.get_by_label("ORCID iD").fill("0000-0002-1825-0098")  # a typo: the check character is wrong
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text("does not match the others").wait_for()
    journey.check("confirm-typo")
    page.get_by_label("ORCID iD").fill("https://orcid.org/0000-0002-1825-0097")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/credits/me/")
    page.get_by_text("your entry is confirmed").wait_for()
    # The paper is not public yet: listed among their credits, marked so, not linked.
    assert page.get_by_role("cell", name="Prompting in many languages: what transfers Not public yet").is_visible()
    journey.check("my-credits")


def _download(page, link_name: str) -> str:
    with page.expect_download() as download:
        page.get_by_role("link", name=link_name).click()
    return Path(download.value.path()).read_text(encoding="utf-8")


def _latex_authors(source: str) -> list[str]:
    context = latexwalker.get_default_latex_context_db()
    context.add_context_category(
        "authblk",
        prepend=True,
        macros=[
            macrospec.std_macro("author", True, 1),
            macrospec.std_macro("affil", True, 1),
            macrospec.std_macro("thanks", False, 1),
        ],
    )
    nodes, _pos, _len = latexwalker.LatexWalker(source, latex_context=context, tolerant_parsing=False).get_latex_nodes()
    authors = []
    for node in nodes:
        if node.isNodeType(latexwalker.LatexMacroNode) and node.macroname == "author":
            body = node.nodeargd.argnlist[1].nodelist
            text = "".join(
                n.latex_verbatim()
                for n in body
                if not (n.isNodeType(latexwalker.LatexMacroNode) and n.macroname == "thanks")
            )
            authors.append(LatexNodes2Text().latex_to_text(text))
    return authors


def test_chair_credits_a_paper_and_exports_the_confirmed_author_list(journeys):
    group, chair = _people()
    chair_journey = journeys("chair")
    _chair_registers_and_picks(chair_journey, chair, group)
    _contributor_confirms(journeys("contributor"))

    output = Output.objects.get()
    page = chair_journey.goto(output.get_absolute_url())
    chair_journey.check("output-page")
    bib = bibtexparser.parse_string(_download(page, "BibTeX"), append_middleware=[SeparateCoAuthors()])
    assert bib.failed_blocks == []
    (entry,) = bib.entries
    authors = [LatexNodes2Text().latex_to_text(name) for name in entry["author"]]
    assert sorted(authors) == sorted(["Zoë Ñúñez-García", "李明", "Smith, Jr., John"])
    assert "李明" in LatexNodes2Text().latex_to_text(entry["note"])  # still unconfirmed, and says so
    latex = _download(page, "Author list (LaTeX, authblk)")
    assert _latex_authors(latex) == authors
    assert r"\thanks{ORCID: https://orcid.org/0000-0002-1825-0097}" in latex
    assert r"\affil[2]{Inria \& CNRS}" in latex or r"\affil[1]{Inria \& CNRS}" in latex
    confirmed = Contributor.objects.get(user__email=CONTRIBUTOR)
    assert (confirmed.state, confirmed.orcid, confirmed.roles) == (
        "confirmed",
        "0000-0002-1825-0097",
        ["data_curation", "software"],
    )
