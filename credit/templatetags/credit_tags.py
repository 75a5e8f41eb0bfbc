from django import template

from .. import selectors, taxonomy

register = template.Library()


@register.filter
def role_meaning(slug) -> str:
    return taxonomy.MEANINGS.get(slug, "")


@register.inclusion_tag("credit/_participation_box.html", takes_context=True)
def credit_requests(context):
    """The person's entries awaiting their confirmation, for "My participation"."""
    return {"pending": selectors.awaiting_confirmation(context["request"].user)}
