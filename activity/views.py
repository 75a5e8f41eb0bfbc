"""The history pages: views of the one activity log (the URLs live with the groups and the roles)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from . import selectors
from .forms import ActivityFilterForm

PER_PAGE = 50


def history_page(request, *, group=None):
    """A group's part of the log for its chairs, or all of it for the organizers (``group=None``)."""
    if group is None:
        allowed = request.user.has_perm("activity.view_all_activity")
    else:
        allowed = request.user.has_perm("activity.view_group_activity", group)
    if not allowed:
        raise PermissionDenied
    form = ActivityFilterForm(request.GET or None, all_groups=group is None)
    filters = {key: value for key, value in (form.cleaned_data if form.is_valid() else {}).items() if value}
    if "group" in filters:  # the organizers' filter; ``group`` below is a chair's scope
        filters["working_group"] = filters.pop("group")
    entries = selectors.activity(group=group, **filters)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "activity/activity_list.html",
        {"group": group, "form": form, "entries": page.object_list, "page": page, "page_query": query.urlencode()},
    )
