from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from bigscience_portal.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render Markdown to sanitised HTML; safe because nh3 removed every script vector."""
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3 just above


@register.simple_tag
def absolute_url(path):
    return f"{settings.SITE_URL}{path}"
