"""Template tags other pages use to show a person's part in the guided tasks."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("tasks/includes/my_tasks.html")
def my_task_participation(user):
    """The "my participation" page's section: active claims and contributions (three queries)."""
    return selectors.my_task_participation(user)
