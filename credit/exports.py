"""The author-list formats papers and repositories need, built from an output and its listed contributors.

Pure functions of already-loaded rows: no queries here. Every format says which entries their
person has not confirmed yet, in the way that format allows.
"""

import csv
import io
import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from . import orcid, taxonomy
from .selectors import AffiliationIndex

EQUAL_MARK = "*"
CORRESPONDING_MARK = "†"
UNCONFIRMED_MARK = "?"

# --- escaping -----------------------------------------------------------------------------

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def latex_escape(text: str) -> str:
    """Text safe in LaTeX text mode (and in BibTeX fields: braces never appear bare, so they stay balanced).

    Letters outside ASCII (accents, other scripts) stay as UTF-8, which LaTeX reads since 2018.
    """
    return "".join(_LATEX_SPECIAL.get(char, char) for char in str(text))


def bibtex_name(name: str) -> str:
    """A name BibTeX reads as one person: a comma or an "and" inside it is protected by braces."""
    escaped = latex_escape(name)
    words = name.casefold().split()
    if "," in name or "and" in words:
        return "{" + escaped + "}"
    return escaped


def csv_cell(value) -> str:
    """A spreadsheet never reads a cell as a formula: risky first characters get a leading apostrophe.

    One small function so the shared CSV helper can replace it.
    """
    text = "" if value is None else str(value)
    if text and text[0] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


# --- author list --------------------------------------------------------------------------


def _marks(contributor) -> str:
    marks = ""
    if contributor.equal_contribution:
        marks += EQUAL_MARK
    if contributor.corresponding:
        marks += CORRESPONDING_MARK
    if contributor.is_unconfirmed:
        marks += UNCONFIRMED_MARK
    return marks


def _legend(contributors) -> list[str]:
    lines = []
    if any(c.equal_contribution for c in contributors):
        lines.append(f"{EQUAL_MARK} {_('Equal contribution.')}")
    if any(c.corresponding for c in contributors):
        lines.append(f"{CORRESPONDING_MARK} {_('Corresponding author.')}")
    if any(c.is_unconfirmed for c in contributors):
        lines.append(f"{UNCONFIRMED_MARK} {_('Not yet confirmed by the person.')}")
    return lines


def author_list_text(output, contributors) -> str:
    """``Name [1, 2]*`` per line in order, then the numbered affiliations and the marks' legend."""
    index = AffiliationIndex.build(contributors)
    lines = [output.title, ""]
    for contributor in contributors:
        numbers = index.numbers[contributor.pk]
        affiliation = f" [{', '.join(str(n) for n in numbers)}]" if numbers else ""
        lines.append(f"{contributor.name}{affiliation}{_marks(contributor)}")
    lines.append("")
    lines += [f"{number}. {name}" for number, name in enumerate(index.names, start=1)]
    legend = _legend(contributors)
    if legend:
        lines += ["", *legend]
    return "\n".join(lines) + "\n"


def author_list_latex(output, contributors) -> str:
    """An authblk fragment: ``\\author[1,2]{Name}`` lines, then ``\\affil[n]{...}``, ready for the preamble."""
    index = AffiliationIndex.build(contributors)
    lines = [
        f"% {latex_escape(output.title)}: author list for the authblk package",
        "% \\usepackage{authblk} in the preamble; UTF-8 input (the default since LaTeX 2018).",
    ]
    symbols = {EQUAL_MARK: r"\textasteriskcentered", CORRESPONDING_MARK: r"\textdagger", UNCONFIRMED_MARK: "?"}
    for contributor in contributors:
        labels = [str(n) for n in index.numbers[contributor.pk]]
        labels += [symbols[mark] for mark in _marks(contributor)]
        name = latex_escape(contributor.name)
        if contributor.orcid:
            name += r"\thanks{ORCID: " + orcid.url(contributor.orcid) + "}"
        lines.append(f"\\author[{','.join(labels)}]{{{name}}}" if labels else f"\\author{{{name}}}")
    for number, affiliation in enumerate(index.names, start=1):
        lines.append(f"\\affil[{number}]{{{latex_escape(affiliation)}}}")
    legend = {
        EQUAL_MARK: (r"\textasteriskcentered", _("Equal contribution.")),
        CORRESPONDING_MARK: (r"\textdagger", _("Corresponding author.")),
        UNCONFIRMED_MARK: ("?", _("Not yet confirmed by the person.")),
    }
    used = {mark for c in contributors for mark in _marks(c)}
    for mark in (EQUAL_MARK, CORRESPONDING_MARK, UNCONFIRMED_MARK):
        if mark in used:
            symbol, text = legend[mark]
            lines.append(f"\\affil[{symbol}]{{{latex_escape(text)}}}")
    return "\n".join(lines) + "\n"


# --- BibTeX and CITATION.cff -------------------------------------------------------------


def _bibtex_key(output) -> str:
    year = output.date.year if output.date else ""
    return "".join(ch for ch in f"bigscience{year}{output.slug}" if ch.isalnum() or ch in "-_:")[:80]


def bibtex(output, contributors) -> str:
    """One entry: @article for a published paper with a venue, @misc otherwise."""
    is_article = output.kind == "paper" and output.venue and output.status == "published"
    fields = [("title", "{" + latex_escape(output.title) + "}")]
    if contributors:
        fields.append(("author", " and ".join(bibtex_name(c.name) for c in contributors)))
    if output.date:
        fields += [("year", str(output.date.year)), ("month", output.date.strftime("%b").lower())]
    if is_article:
        fields.append(("journal", latex_escape(output.venue)))
    elif output.venue:
        fields.append(("howpublished", latex_escape(output.venue)))
    if output.doi:
        fields.append(("doi", latex_escape(output.doi)))
    if output.arxiv_id:
        fields += [("eprint", latex_escape(output.arxiv_id)), ("archiveprefix", "arXiv")]
    url = output.page_url or output.repository_url
    if url:
        fields.append(("url", latex_escape(url)))
    unconfirmed = [c.name for c in contributors if c.is_unconfirmed]
    if unconfirmed:
        note = _("Not yet confirmed by the person: %(names)s.") % {"names": "; ".join(unconfirmed)}
        fields.append(("note", latex_escape(note)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    kind = "article" if is_article else "misc"
    return f"@{kind}{{{_bibtex_key(output)},\n{body}\n}}\n"


def _yaml(value) -> str:
    """A YAML scalar: JSON's quoted strings are valid YAML, whatever the characters."""
    return json.dumps(value, ensure_ascii=False)


def _cff_person(contributor) -> list[str]:
    # CFF wants given and family names apart; the portal keeps one name as the person wrote it,
    # so the last word is taken as the family name, and a one-word name is all family name.
    given, _space, family = contributor.name.rpartition(" ")
    lines = [f"  - family-names: {_yaml(family)}"]
    if given:
        lines.append(f"    given-names: {_yaml(given)}")
    if contributor.affiliations:
        lines.append(f"    affiliation: {_yaml('; '.join(contributor.affiliations))}")
    if contributor.orcid:
        lines.append(f"    orcid: {_yaml(orcid.url(contributor.orcid))}")
    return lines


def citation_cff(output, contributors) -> str:
    """CITATION.cff (format 1.2.0); a paper is cited through ``preferred-citation``."""
    message = _("If you use this work, please cite it as below.")
    unconfirmed = [c.name for c in contributors if c.is_unconfirmed]
    if unconfirmed:
        message += " " + _("Not yet confirmed by the person: %(names)s.") % {"names": "; ".join(unconfirmed)}
    lines = [
        'cff-version: "1.2.0"',
        f"message: {_yaml(message)}",
        f"title: {_yaml(output.title)}",
        f"type: {_yaml('dataset' if output.kind == 'dataset' else 'software')}",
    ]
    authors = [line for c in contributors for line in _cff_person(c)]
    lines += ["authors:", *authors] if authors else ['authors:\n  - name: "BigScience Workshop"']
    if output.date:
        lines.append(f"date-released: {_yaml(output.date.isoformat())}")
    if output.doi:
        lines.append(f"doi: {_yaml(output.doi)}")
    if output.repository_url:
        lines.append(f"repository-code: {_yaml(output.repository_url)}")
    if output.page_url:
        lines.append(f"url: {_yaml(output.page_url)}")
    if output.description:
        lines.append(f"abstract: {_yaml(output.description)}")
    if output.kind == "paper":
        lines += ["preferred-citation:", '  type: "article"', f"  title: {_yaml(output.title)}"]
        lines += ["  authors:", *("  " + line for line in authors)] if authors else []
        if output.venue:
            lines.append(f"  journal: {_yaml(output.venue)}")
        if output.doi:
            lines.append(f"  doi: {_yaml(output.doi)}")
        if output.date:
            lines.append(f"  year: {output.date.year}")
    return "\n".join(lines) + "\n"


# --- tables -------------------------------------------------------------------------------

CSV_HEADER = [
    "position",
    "name",
    "orcid",
    "affiliations",
    "credit_roles",
    "working_group",
    "equal_contribution",
    "corresponding_author",
    "confirmed",
]


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def contributors_csv(output, contributors) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for c in contributors:
        writer.writerow(
            [
                csv_cell(value)
                for value in (
                    c.position,
                    c.name,
                    c.orcid,
                    "; ".join(c.affiliations),
                    "; ".join(str(taxonomy.NAMES[r]) for r in taxonomy.ordered(c.roles)),
                    c.working_group.name if c.working_group else "",
                    _yes(c.equal_contribution),
                    _yes(c.corresponding),
                    _yes(not c.is_unconfirmed),
                )
            ]
        )
    return buffer.getvalue()


def contributors_json(output, contributors) -> str:
    data = {
        "output": {
            "title": output.title,
            "kind": output.kind,
            "status": output.status,
            "date": output.date.isoformat() if output.date else None,
            "doi": output.doi or None,
            "arxiv": output.arxiv_id or None,
            "working_groups": [g.name for g in output.working_groups.all()],
        },
        "contributors": [
            {
                "position": c.position,
                "name": c.name,
                "orcid": orcid.url(c.orcid) or None,
                "affiliations": list(c.affiliations),
                "credit_roles": [
                    {"role": str(taxonomy.NAMES[r]), "uri": taxonomy.URIS[r]} for r in taxonomy.ordered(c.roles)
                ],
                "working_group": c.working_group.name if c.working_group else None,
                "equal_contribution": c.equal_contribution,
                "corresponding_author": c.corresponding,
                "confirmed": not c.is_unconfirmed,
                "confirmation": c.state,
            }
            for c in contributors
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def role_statement(output, contributors) -> str:
    """``Conceptualization: A, B. Software: C.`` in the taxonomy's order, one role per line."""
    lines = []
    for slug in taxonomy.SLUGS:
        names = [
            c.name + (f" ({UNCONFIRMED_MARK})" if c.is_unconfirmed else "") for c in contributors if slug in c.roles
        ]
        if names:
            lines.append(f"{taxonomy.NAMES[slug]}: {', '.join(names)}.")
    if any(c.is_unconfirmed for c in contributors):
        lines += ["", f"({UNCONFIRMED_MARK}) {_('Not yet confirmed by the person.')}"]
    return "\n".join(lines) + "\n"


# name -> (builder, media type, file name suffix, label)
FORMATS = {
    "text": (author_list_text, "text/plain", "authors.txt", _lazy("Author list (text)")),
    "latex": (author_list_latex, "application/x-tex", "authors.tex", _lazy("Author list (LaTeX, authblk)")),
    "bibtex": (bibtex, "application/x-bibtex", "citation.bib", _lazy("BibTeX")),
    "cff": (citation_cff, "application/x-yaml", "CITATION.cff", _lazy("CITATION.cff")),
    "csv": (contributors_csv, "text/csv", "contributors.csv", _lazy("Contributors (CSV)")),
    "json": (contributors_json, "application/json", "contributors.json", _lazy("Contributors (JSON)")),
    "statement": (role_statement, "text/plain", "contributions.txt", _lazy("Contributor role statement")),
}
