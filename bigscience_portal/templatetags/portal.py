from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from bigscience_portal import localized as content
from bigscience_portal.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render Markdown to sanitised HTML; safe because nh3 removed every script vector."""
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3 just above


@register.simple_tag
def absolute_url(path):
    return f"{settings.SITE_URL}{path}"


@register.filter
def localized(obj, field):
    """``{{ group|localized:"description" }}``: the field in the reader's language when written, else English."""
    return content.localized(obj, field)


@register.filter
def untranslated(obj, field):
    """``{% if post|untranslated:"body" %}``: the reader's language is offered but not written yet."""
    return content.untranslated(obj, field)
