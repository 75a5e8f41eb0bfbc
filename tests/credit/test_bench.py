import pytest

from bench import generate, pages, probe
from credit.models import Contributor, Output


@pytest.mark.django_db
def test_bench_workshop_has_a_paper_whose_page_and_export_are_measured():
    counts = generate.Generator(generate.SCALES["small"]).run()
    paper = Output.objects.get(slug="bench-paper")
    assert counts["contributors"] == Contributor.objects.filter(output=paper).count() == 5
    objs = probe.objects()
    measured = [page for page in pages.PAGES if page.obj == "output"]
    assert [probe.candidate_path(page.candidates[0], page, objs) for page in measured] == [
        "/outputs/bench-paper/",
        "/outputs/bench-paper/export/bibtex/",
    ]
