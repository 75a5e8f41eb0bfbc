"""Markdown typed by people, rendered to HTML that can never run script.

One parser per thread is built once and reset between texts: building a ``Markdown`` object
(loading its extensions) costs far more than rendering a short abstract, and a programme page
renders hundreds of them.
"""

import threading

import markdown as md
import nh3

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


_local = threading.local()


def _parser() -> md.Markdown:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = md.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    return parser


def render_markdown(text: str) -> str:
    """Markdown to sanitised HTML (raw HTML in the source is stripped or escaped)."""
    if not text:
        return ""
    parser = _parser()
    try:
        return sanitize_html(parser.convert(text))
    finally:
        parser.reset()
