"""Every export parsed back with a real parser of its format, on names that break naive code:
accents, non-Latin scripts, commas, and the characters LaTeX and BibTeX treat specially."""

import csv
import datetime
import importlib.util
import io
import json
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import yaml
from bibtexparser.middlewares import SeparateCoAuthors
from pylatexenc import latex2text, latexwalker, macrospec
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec

from credit import exports, selectors
from credit.models import Contributor
from tests.factories import UserFactory, WorkingGroupFactory

from .factories import OutputFactory

CONFIRMED = datetime.datetime(2022, 6, 1, tzinfo=datetime.UTC)
# name, affiliations, roles, state, orcid, marks (equal, corresponding), listed
PEOPLE = [
    ("José Ñúñez-García", ["Université Paris-Saclay", "CNRS"], ["software", "conceptualization"], "confirmed", "0000-0002-1825-0097", (True, True), True),
    ("李明", ["清华大学"], ["data_curation"], "pending", "", (False, False), True),
    ("Smith, Jr., John", ["Hugging Face, Inc."], ["software"], "stated", "", (False, False), True),
    ("Hidden Person", ["Nowhere"], ["software"], "confirmed", "", (False, False), False),
    ("Ольга Сидорова", ["CNRS"], ["writing_original_draft"], "confirmed", "0000-0002-1694-233X", (True, False), True),
    ("محمد حداد", ["جامعة القاهرة"], ["software", "validation"], "stated", "", (False, False), True),
    ("Anne {B} & C_d 100% $5 #1 ~^\\", ["Lab & Co. 50%"], ["visualization"], "stated", "", (False, False), True),
    ("=HYPERLINK(\"x\")", [], [], "stated", "", (False, False), True),
]  # fmt: skip
LISTED = [p[0] for p in PEOPLE if p[6]]


@pytest.fixture
def paper(db):
    group = WorkingGroupFactory(name="Data & Governance")
    output = OutputFactory(
        slug="bloom",
        title="BLOOM & friends: 100% open, {really}",
        date=datetime.date(2022, 11, 9),
        venue="Journal of Open_Models",
        doi="10.48550/arXiv.2211.05100",
        arxiv_id="2211.05100",
        repository_url="https://github.com/bigscience-workshop/bigscience",
        description="Ünïcode abstract: 多语言.",
        groups=[group],
    )
    for position, (name, affiliations, roles, state, orcid, (equal, corresponding), listed) in enumerate(PEOPLE, 1):
        Contributor.objects.create(
            output=output,
            position=position,
            user=UserFactory() if state != "stated" else None,
            name=name,
            affiliations=affiliations,
            roles=roles,
            state=state,
            orcid=orcid,
            equal_contribution=equal,
            corresponding=corresponding,
            listed=listed,
            working_group=group,
            confirmed_at=CONFIRMED if state == "confirmed" else None,
        )
    return output


def _export(output, fmt: str) -> str:
    build = exports.FORMATS[fmt][0]
    return build(selectors.output_queryset().get(pk=output.pk), selectors.contributors_of(output))


def _latex_to_text(latex: str) -> str:
    context = latex2text.get_default_latex_context_db()
    context.add_context_category(
        "textcomp",
        prepend=True,
        macros=[
            MacroTextSpec("textbraceleft", "{"),
            MacroTextSpec("textbraceright", "}"),
            MacroTextSpec("textasciicircum", "^"),
        ],
    )
    return LatexNodes2Text(latex_context=context).latex_to_text(latex)


def test_plain_author_list_numbers_affiliations_in_order_of_appearance(paper):
    assert _export(paper, "text").splitlines() == [
        "BLOOM & friends: 100% open, {really}",
        "",
        "José Ñúñez-García [1, 2]*†",
        "李明 [3]?",
        "Smith, Jr., John [4]",
        "Ольга Сидорова [2]*",
        "محمد حداد [5]",
        "Anne {B} & C_d 100% $5 #1 ~^\\ [6]",
        '=HYPERLINK("x")',
        "",
        "1. Université Paris-Saclay",
        "2. CNRS",
        "3. 清华大学",
        "4. Hugging Face, Inc.",
        "5. جامعة القاهرة",
        "6. Lab & Co. 50%",
        "",
        "* Equal contribution.",
        "† Corresponding author.",
        "? Not yet confirmed by the person.",
    ]


def test_latex_author_list_parses_as_authblk_macros_with_the_exact_names(paper):
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
    source = _export(paper, "latex")
    nodes, _pos, _len = latexwalker.LatexWalker(source, latex_context=context, tolerant_parsing=False).get_latex_nodes()
    macros = [n for n in nodes if n.isNodeType(latexwalker.LatexMacroNode)]
    authors, affils = [], []
    for macro in macros:
        optional, body = macro.nodeargd.argnlist
        label = optional.latex_verbatim()[1:-1] if optional else ""
        text_nodes = [
            n for n in body.nodelist if not (n.isNodeType(latexwalker.LatexMacroNode) and n.macroname == "thanks")
        ]
        text = _latex_to_text("".join(n.latex_verbatim() for n in text_nodes))
        (authors if macro.macroname == "author" else affils).append((label, text))
    assert authors == [
        (r"1,2,\textasteriskcentered,\textdagger", "José Ñúñez-García"),
        ("3,?", "李明"),
        ("4", "Smith, Jr., John"),
        (r"2,\textasteriskcentered", "Ольга Сидорова"),
        ("5", "محمد حداد"),
        ("6", "Anne {B} & C_d 100% $5 #1 ~^\\"),
        ("", '=HYPERLINK("x")'),
    ]
    assert affils == [
        ("1", "Université Paris-Saclay"),
        ("2", "CNRS"),
        ("3", "清华大学"),
        ("4", "Hugging Face, Inc."),
        ("5", "جامعة القاهرة"),
        ("6", "Lab & Co. 50%"),
        (r"\textasteriskcentered", "Equal contribution."),
        (r"\textdagger", "Corresponding author."),
        ("?", "Not yet confirmed by the person."),
    ]
    assert r"\thanks{ORCID: https://orcid.org/0000-0002-1825-0097}" in source


def test_bibtex_parses_into_one_entry_with_each_name_as_one_author(paper):
    library = bibtexparser.parse_string(_export(paper, "bibtex"), append_middleware=[SeparateCoAuthors()])
    assert library.failed_blocks == []
    (entry,) = library.entries
    assert (entry.entry_type, entry.key) == ("article", "bigscience2022bloom")
    authors = [_latex_to_text(name) for name in entry["author"]]
    assert authors == LISTED
    assert _latex_to_text(entry["title"]) == "BLOOM & friends: 100% open, {really}"
    assert _latex_to_text(entry["journal"]) == "Journal of Open_Models"
    assert (entry["year"], entry["doi"], entry["eprint"]) == ("2022", "10.48550/arXiv.2211.05100", "2211.05100")
    assert _latex_to_text(entry["note"]) == "Not yet confirmed by the person: 李明."


def test_bibtex_of_an_unpublished_output_is_misc(paper):
    paper.status = "submitted"
    paper.save()
    (entry,) = bibtexparser.parse_string(_export(paper, "bibtex")).entries
    assert entry.entry_type == "misc"
    assert _latex_to_text(entry["howpublished"]) == "Journal of Open_Models"


def _cff_schema() -> dict:
    # cffconvert ships the Citation File Format schema; its Python package is not imported
    # (it needs an older jsonschema), only the schema file is read.
    spec = importlib.util.find_spec("cffconvert")
    assert spec is not None, "pip install --no-deps -r requirements-nodeps.txt"
    path = Path(spec.submodule_search_locations[0]) / "schemas" / "1.2.0" / "schema.json"
    return json.loads(path.read_text())


def test_citation_cff_is_valid_against_the_cff_1_2_0_schema(paper):
    data = yaml.safe_load(_export(paper, "cff"))
    jsonschema.validate(data, _cff_schema(), cls=jsonschema.Draft7Validator)
    names = [" ".join(filter(None, (a.get("given-names"), a["family-names"]))) for a in data["authors"]]
    assert names == LISTED
    assert data["authors"][0]["orcid"] == "https://orcid.org/0000-0002-1825-0097"
    assert data["authors"][0]["affiliation"] == "Université Paris-Saclay; CNRS"
    assert data["preferred-citation"]["authors"] == data["authors"]
    assert (data["title"], data["doi"], str(data["date-released"])) == (
        "BLOOM & friends: 100% open, {really}",
        "10.48550/arXiv.2211.05100",
        "2022-11-09",
    )
    assert "李明" in data["message"]


def test_citation_cff_of_a_dataset_without_contributors_is_valid(db):
    dataset = OutputFactory(kind="dataset", title="ROOTS", date=None)
    data = yaml.safe_load(_export(dataset, "cff"))
    jsonschema.validate(data, _cff_schema(), cls=jsonschema.Draft7Validator)
    assert (data["type"], data["authors"]) == ("dataset", [{"name": "BigScience Workshop"}])


def test_csv_reads_back_with_roles_orcids_and_neutralised_formulas(paper):
    rows = list(csv.reader(io.StringIO(_export(paper, "csv"))))
    assert rows[0] == exports.CSV_HEADER
    assert rows[1:] == [
        ["1", "José Ñúñez-García", "0000-0002-1825-0097", "Université Paris-Saclay; CNRS", "Conceptualization; Software", "Data & Governance", "yes", "yes", "yes"],
        ["2", "李明", "", "清华大学", "Data curation", "Data & Governance", "no", "no", "no"],
        ["3", "Smith, Jr., John", "", "Hugging Face, Inc.", "Software", "Data & Governance", "no", "no", "yes"],
        ["5", "Ольга Сидорова", "0000-0002-1694-233X", "CNRS", "Writing – original draft", "Data & Governance", "yes", "no", "yes"],
        ["6", "محمد حداد", "", "جامعة القاهرة", "Software; Validation", "Data & Governance", "no", "no", "yes"],
        ["7", "Anne {B} & C_d 100% $5 #1 ~^\\", "", "Lab & Co. 50%", "Visualization", "Data & Governance", "no", "no", "yes"],
        ["8", "'=HYPERLINK(\"x\")", "", "", "", "Data & Governance", "no", "no", "yes"],
    ]  # fmt: skip


@pytest.mark.parametrize("risky", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cell_neutralises_every_formula_start(risky):
    assert exports.csv_cell(risky) == "'" + risky
    assert exports.csv_cell("1-1") == "1-1"


def test_json_lists_contributors_with_credit_role_uris_and_orcid_ids(paper):
    data = json.loads(_export(paper, "json"))
    assert [c["name"] for c in data["contributors"]] == LISTED
    first = data["contributors"][0]
    assert first["orcid"] == "https://orcid.org/0000-0002-1825-0097"
    assert first["credit_roles"] == [
        {"role": "Conceptualization", "uri": "https://credit.niso.org/contributor-roles/conceptualization/"},
        {"role": "Software", "uri": "https://credit.niso.org/contributor-roles/software/"},
    ]
    assert [c["confirmed"] for c in data["contributors"]] == [True, False, True, True, True, True, True]
    assert data["output"]["working_groups"] == ["Data & Governance"]


def test_role_statement_groups_names_by_role_in_taxonomy_order(paper):
    assert _export(paper, "statement").splitlines() == [
        "Conceptualization: José Ñúñez-García.",
        "Data curation: 李明 (?).",
        "Software: José Ñúñez-García, Smith, Jr., John, محمد حداد.",
        "Validation: محمد حداد.",
        "Visualization: Anne {B} & C_d 100% $5 #1 ~^\\.",
        "Writing – original draft: Ольга Сидорова.",
        "",
        "(?) Not yet confirmed by the person.",
    ]
