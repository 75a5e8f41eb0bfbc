from events.selectors import upcoming_events
from newsletter.models import NewsPost
from roles.models import Role
from working_groups.models import WorkingGroup


def home_page_data() -> dict:
    """Everything the home page shows, in a fixed number of queries."""
    return {
        "roles": list(Role.objects.select_related("committee").order_by("order")),
        "latest_news": list(NewsPost.objects.published().select_related("author__profile")[:3]),
        "group_count": WorkingGroup.objects.count(),
        "open_group_count": WorkingGroup.objects.filter(is_open=True).count(),
        "upcoming_events": upcoming_events(limit=3),
    }
