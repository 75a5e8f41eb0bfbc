"""The 14 roles of the CRediT taxonomy (Contributor Roles Taxonomy, NISO Z39.104-2022).

The role names and their URIs are the taxonomy's; the one-line meanings are ours, short
paraphrases of what each role covers, shown next to every checkbox and in the statement.
"""

from django.utils.translation import gettext_lazy as _

CREDIT_BASE_URI = "https://credit.niso.org/contributor-roles/"

# slug, name, meaning, URI path
ROLES = [
    (
        "conceptualization",
        _("Conceptualization"),
        _("Shaped the ideas: the research goals, questions and overall aims."),
        "conceptualization",
    ),
    (
        "data_curation",
        _("Data curation"),
        _("Collected, cleaned, annotated and maintained the data and its documentation for use and reuse."),
        "data-curation",
    ),
    (
        "formal_analysis",
        _("Formal analysis"),
        _("Analysed or synthesised the data with statistical, mathematical or computational methods."),
        "formal-analysis",
    ),
    (
        "funding_acquisition",
        _("Funding acquisition"),
        _("Obtained the money or compute grants that made the work possible."),
        "funding-acquisition",
    ),
    (
        "investigation",
        _("Investigation"),
        _("Ran the experiments or gathered the evidence the work rests on."),
        "investigation",
    ),
    (
        "methodology",
        _("Methodology"),
        _("Designed the methods and models used in the work."),
        "methodology",
    ),
    (
        "project_administration",
        _("Project administration"),
        _("Planned and coordinated the work and kept it on track."),
        "project-administration",
    ),
    (
        "resources",
        _("Resources"),
        _("Provided materials, data, compute, instruments or other tools the work used."),
        "resources",
    ),
    (
        "software",
        _("Software"),
        _("Wrote, tested or maintained the code the work needed."),
        "software",
    ),
    (
        "supervision",
        _("Supervision"),
        _("Oversaw and mentored the work and the people doing it."),
        "supervision",
    ),
    (
        "validation",
        _("Validation"),
        _("Checked that the results can be reproduced and hold up."),
        "validation",
    ),
    (
        "visualization",
        _("Visualization"),
        _("Prepared the figures and other visual presentation of the results."),
        "visualization",
    ),
    (
        "writing_original_draft",
        _("Writing – original draft"),
        _("Wrote the first draft of the text."),
        "writing-original-draft",
    ),
    (
        "writing_review_editing",
        _("Writing – review & editing"),
        _("Reviewed, commented on and revised the text, before or after publication."),
        "writing-review-editing",
    ),
]

SLUGS = [slug for slug, *_rest in ROLES]
NAMES = {slug: name for slug, name, _meaning, _uri in ROLES}
MEANINGS = {slug: meaning for slug, _name, meaning, _uri in ROLES}
URIS = {slug: f"{CREDIT_BASE_URI}{path}/" for slug, _name, _meaning, path in ROLES}
CHOICES = [(slug, name) for slug, name, _meaning, _uri in ROLES]


def ordered(slugs) -> list[str]:
    """The given role slugs in the taxonomy's order, unknown ones dropped."""
    wanted = set(slugs or ())
    return [slug for slug in SLUGS if slug in wanted]
