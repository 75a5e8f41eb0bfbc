"""Reads for the newsletter pages and the API: one place per page's data."""

from django.db.models import Count, Prefetch, Q

from roles import rules as role_rules

from .models import Delivery, Feedback, Issue, IssueItem, NewsPost, Subscription


def published_news():
    return NewsPost.objects.published().select_related("author__profile")


def sent_issues_for(user):
    """The archive: every sent issue for members and organizers, the public ones for everyone else."""
    issues = Issue.objects.sent()
    if not user.has_perm("newsletter.read_all_issues"):
        issues = issues.filter(is_public=True)
    return issues


def issue_for_reader(user, number: int, *, reader_email: str | None = None) -> Issue | None:
    """A sent issue this person may read (a recipient's signed link opens it too), with its items."""
    issue = (
        Issue.objects.sent()
        .filter(number=number)
        .prefetch_related(
            Prefetch("items", queryset=IssueItem.objects.filter(included=True).select_related("working_group"))
        )
        .first()
    )
    if issue is None:
        return None
    if user.has_perm("newsletter.read_issue", issue) or reader_email:
        return issue
    return None


def issues_for_organizers():
    """Every issue with its delivery figures and feedback count, for the organizers' list."""
    return Issue.objects.annotate(
        recipients=Count("deliveries", distinct=True),
        sent_count=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT), distinct=True),
        failed_count=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED), distinct=True),
        bounced_count=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.BOUNCED), distinct=True),
        waiting_count=Count(
            "deliveries",
            filter=Q(deliveries__status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]),
            distinct=True,
        ),
        feedback_count=Count("feedback", distinct=True),
    ).order_by("-number")


def delivery_figures(issue: Issue) -> dict:
    """Deliveries of one issue by state, every state present (0 when none)."""
    counts = dict(issue.deliveries.values_list("status").annotate(n=Count("pk")).order_by())
    figures = {status: counts.get(status, 0) for status in Delivery.Status.values}
    figures["total"] = sum(counts.values())
    return figures


def chaired_group_ids(user) -> list[int]:
    return sorted(role_rules.chaired_group_ids(user))


def feedback_visible_to(user):
    """Organizers see all feedback; a chair sees the feedback on their groups' items."""
    feedback = Feedback.objects.select_related("issue", "item__working_group", "user__profile")
    if user.has_perm("newsletter.manage_newsletter"):
        return feedback
    return feedback.filter(item__working_group_id__in=chaired_group_ids(user))


def feedback_counts_by_issue(feedback_qs) -> list[dict]:
    """[{issue number, title, count}] for the feedback a person may see, newest issue first."""
    return list(
        feedback_qs.order_by()
        .values("issue__number", "issue__title")
        .annotate(count=Count("pk"))
        .order_by("-issue__number")
    )


def export_for(user) -> dict:
    """What the newsletter holds about a person, for the data export."""
    subscription = (
        Subscription.objects.filter(user=user)
        .values("email", "name", "confirmed_at", "unsubscribed_at", "bounced_at")
        .first()
    )
    return {
        "subscription": subscription,
        "deliveries": list(
            Delivery.objects.filter(user=user).order_by("pk").values("issue__number", "email", "status", "sent_at")
        ),
        "feedback": list(
            Feedback.objects.filter(user=user)
            .order_by("pk")
            .values("issue__number", "item__title", "body", "created_at")
        ),
    }


def delivery_ledger(issue: Issue, *, status: str = "", q: str = ""):
    """The issue's per-recipient ledger for the organizers, filtered (a queryset, to paginate)."""
    deliveries = issue.deliveries.order_by("email", "pk")
    if status:
        deliveries = deliveries.filter(status=status)
    if q:
        deliveries = deliveries.filter(Q(email__icontains=q) | Q(name__icontains=q))
    return deliveries
