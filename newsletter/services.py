"""Writes for the news and the newsletter: one function per use case.

Each checks permission through the rule book (``user.has_perm``), runs in one transaction, records
every change of an issue in the activity log, and sends e-mail only after commit. The fan-out
of an issue to its recipients lives in ``newsletter.sending``.
"""

import logging
from datetime import datetime, timedelta

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from activity.selectors import has_activity
from activity.services import record
from bigscience_portal.availability import publish
from bigscience_portal.mail import queue_email, recipient_language
from roles.rules import ORGANIZERS_GROUP

from . import content, tokens
from .models import Feedback, Issue, IssueItem, NewsPost, Subscription

logger = logging.getLogger(__name__)

FORTNIGHT = timedelta(days=14)
PREPARE_AHEAD = timedelta(days=3)
REMIND_AFTER = timedelta(days=2)
RESERVED_SLUGS = {"feed", "new", "issues", "manage", "feedback", "subscribe", "unsubscribe", "preferences"}


def _require_manager(actor) -> None:
    if not actor.has_perm("newsletter.manage_newsletter"):
        raise PermissionDenied(_("Only organizers can do this."))


def _log(issue: Issue, action: str, actor=None, note: str = "", *, from_state: str = "", to_state: str = "") -> None:
    """One row of the activity log about this issue, ``newsletter.issue.<action>``."""
    record(
        actor=actor,
        action=f"newsletter.issue.{action}",
        obj=issue,
        note=note[:300],
        from_state=from_state,
        to_state=to_state,
    )


# News posts ------------------------------------------------------------------------------------


def _unique_slug(title: str, *, exclude_pk=None) -> str:
    base = slugify(title)[:100] or "news"
    if base in RESERVED_SLUGS:
        base = f"{base}-news"
    slug, n = base, 2
    while NewsPost.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_news_post(
    *,
    actor,
    title: str,
    body: str,
    published_at: datetime | None = None,
    is_published: bool = True,
    title_fr: str = "",
    body_fr: str = "",
) -> NewsPost:
    """Publish a news post (Markdown, sanitised when shown), with an optional French version.

    No side effects beyond the row.
    """
    _require_manager(actor)
    post = NewsPost(
        slug=_unique_slug(title),
        title=title,
        body=body,
        title_fr=title_fr,
        body_fr=body_fr,
        author=actor,
        published_at=published_at or timezone.now(),
        is_published=is_published,
    )
    post.full_clean()
    post.save()
    return post


def update_news_post(
    post: NewsPost,
    *,
    actor,
    title: str,
    body: str,
    published_at: datetime,
    is_published: bool,
    title_fr: str = "",
    body_fr: str = "",
) -> NewsPost:
    """Edit a news post; its link (slug) stays the same."""
    _require_manager(actor)
    post.title, post.body, post.published_at, post.is_published = title, body, published_at, is_published
    post.title_fr, post.body_fr = title_fr, body_fr
    post.full_clean()
    post.save()
    return post


# When an issue is due ---------------------------------------------------------------------------


def last_sent_issue() -> Issue | None:
    return Issue.objects.filter(status__in=[Issue.Status.SENDING, Issue.Status.SENT]).order_by("-number").first()


def next_issue_due_at(*, now: datetime | None = None) -> datetime:
    """Fourteen days after the last issue went out; the first issue ever is due at once."""
    now = now or timezone.now()
    last = last_sent_issue()
    if last is None or last.sending_started_at is None:
        return now
    return last.sending_started_at + FORTNIGHT


def issue_is_due(*, now: datetime | None = None) -> bool:
    """An issue should be prepared: none is in preparation and the fortnight (nearly) ran out."""
    now = now or timezone.now()
    if Issue.objects.preparing().exists():
        return False
    return now >= next_issue_due_at(now=now) - PREPARE_AHEAD


# Preparing an issue -----------------------------------------------------------------------------


def _period_start(now: datetime) -> datetime:
    last = last_sent_issue()
    return last.period_end if last else now - FORTNIGHT


def _tell_organizers_nothing_new(due_at: datetime) -> None:
    """Once per fortnight: the key names the last sent issue, whatever day beat finds nothing."""
    last = last_sent_issue()
    for organizer in organizers():
        queue_email(
            template="newsletter_nothing_new",
            to=organizer.email,
            context={"name": organizer.display_name, "due_at": due_at, "manage_url": reverse("newsletter:manage")},
            key=f"newsletter-nothing-new:after-{last.pk if last else 0}:{organizer.pk}",
        )


def organizers():
    group = Group.objects.filter(name=ORGANIZERS_GROUP).first()
    if group is None:
        return []
    return list(group.user_set.filter(is_active=True).select_related("profile"))


def draft_issue(*, actor=None, now: datetime | None = None) -> Issue | None:
    """Draft the next issue from what happened since the last sent one.

    ``actor`` None means the beat job. Returns None, and changes nothing, when there is
    nothing new; the beat job then tells the organizers once per due date. Raises
    ValidationError when an issue is already in preparation.
    """
    if actor is not None:
        _require_manager(actor)
    now = now or timezone.now()
    due_at = max(next_issue_due_at(now=now), now)
    gathered = content.gather(since=_period_start(now), until=now, upcoming_from=due_at)
    if not gathered.items:
        if actor is None:
            transaction.on_commit(lambda: _tell_organizers_nothing_new(due_at))
        return None
    try:
        with transaction.atomic():
            number = (Issue.objects.aggregate(n=Max("number"))["n"] or 0) + 1
            issue = Issue.objects.create(
                number=number,
                title=f"BigScience newsletter #{number}",
                period_start=_period_start(now),
                period_end=now,
                scheduled_for=due_at,
                figures=gathered.figures,
                created_by=actor,
            )
            content.save_items(issue, gathered.items)
            _log(issue, "drafted", actor, to_state=Issue.Status.DRAFT)
            if actor is None:
                _tell_organizers_drafted(issue, item_count=len(gathered.items))
    except IntegrityError as exc:
        raise ValidationError(_("An issue is already in preparation: edit that one.")) from exc
    return issue


def _tell_organizers_drafted(issue: Issue, *, item_count: int) -> None:
    for organizer in organizers():
        queue_email(
            template="newsletter_drafted",
            to=organizer.email,
            context={
                "name": organizer.display_name,
                "issue": issue,
                "item_count": item_count,
                "manage_url": reverse("newsletter:issue_manage", args=[issue.pk]),
            },
            key=f"newsletter-drafted:{issue.pk}:{organizer.pk}",
        )


def refresh_issue(issue: Issue, *, actor, now: datetime | None = None) -> Issue:
    """Gather again up to now, keeping the editorial and the items left out."""
    _require_manager(actor)
    if not issue.is_editable:
        raise ValidationError(_("Only a draft can be refreshed; withdraw the approval first."))
    now = now or timezone.now()
    gathered = content.gather(since=issue.period_start, until=now, upcoming_from=max(issue.scheduled_for, now))
    with transaction.atomic():
        left_out = content.left_out_keys(issue)
        issue.items.all().delete()
        content.save_items(issue, gathered.items, left_out=left_out)
        issue.period_end, issue.figures = now, gathered.figures
        issue.save(update_fields=["period_end", "figures", "updated_at"])
        _log(issue, "refreshed", actor)
    return issue


def update_issue(
    issue: Issue,
    *,
    actor,
    title: str,
    editorial: str,
    scheduled_for: datetime,
    is_public: bool,
    included_item_ids: set[int],
    title_fr: str = "",
    editorial_fr: str = "",
) -> Issue:
    """Edit a draft: title, editorial (each with an optional French version), send time, public or not,
    which items it keeps."""
    _require_manager(actor)
    if not issue.is_editable:
        raise ValidationError(_("Only a draft can be edited; withdraw the approval first."))
    with transaction.atomic():
        issue.title, issue.editorial, issue.scheduled_for, issue.is_public = title, editorial, scheduled_for, is_public
        issue.title_fr, issue.editorial_fr = title_fr, editorial_fr
        issue.full_clean()
        issue.save()
        issue.items.filter(pk__in=included_item_ids).update(included=True)
        issue.items.exclude(pk__in=included_item_ids).update(included=False)
        _log(issue, "edited", actor)
    return issue


def set_issue_public(issue: Issue, *, actor, is_public: bool) -> Issue:
    """Show a sent issue to everyone in the archive, or to members only."""
    _require_manager(actor)
    issue.is_public = is_public
    issue.save(update_fields=["is_public", "updated_at"])
    _log(issue, "edited", actor, note="public" if is_public else "members only")
    return issue


def send_test_issue(issue: Issue, *, actor) -> None:
    """E-mail the issue, exactly as recipients will see it, to the organizer alone.

    Side effects: one e-mail to ``actor`` through the outbox after commit; an activity row.
    """
    from zoneinfo import ZoneInfo

    from .sending import issue_email_context, list_headers, reader_zone

    _require_manager(actor)
    with transaction.atomic():
        language = recipient_language(actor.email)
        context = issue_email_context(
            issue, reader_name=actor.display_name, reader_email=actor.email, language=language
        )
        zone = reader_zone(getattr(getattr(actor, "profile", None), "time_zone", None))
        with timezone.override(ZoneInfo(zone)):  # times as the organizer will read them
            queue_email(
                template="newsletter_issue",
                to=actor.email,
                context={**context, "is_test": True, "reader_zone": zone},
                headers=list_headers(context["unsubscribe_url"]),
                language=language,
            )
        _log(issue, "test_sent", actor, note=actor.email)


def approve_issue(issue: Issue, *, actor, now: datetime | None = None) -> Issue:
    """Approve a draft; it goes out at its scheduled time (at once if that time has passed).

    An issue with nothing in it is refused: it would not be sent.
    """
    _require_manager(actor)
    now = now or timezone.now()
    if not issue.is_editable:
        raise ValidationError(_("Only a draft can be approved."))
    if not issue.items.filter(included=True).exists():
        raise ValidationError(
            "This issue has nothing new in it, so it will not be sent. Refresh it when there is news."
        )
    with transaction.atomic():
        updated = Issue.objects.filter(pk=issue.pk, status=Issue.Status.DRAFT).update(
            status=Issue.Status.APPROVED, approved_by=actor, approved_at=now, updated_at=now
        )
        if not updated:
            raise ValidationError(_("Someone else changed this issue; reload the page."))
        _log(issue, "approved", actor, from_state=Issue.Status.DRAFT, to_state=Issue.Status.APPROVED)
        if issue.scheduled_for <= now:
            from .tasks import task_start_sending_issue

            # With the broker away the issue stays approved and due: the sweep starts it (sending.sweep).
            transaction.on_commit(lambda: publish(task_start_sending_issue, issue.pk))
    issue.refresh_from_db()
    return issue


def unapprove_issue(issue: Issue, *, actor) -> Issue:
    """Back to draft, to edit it again, as long as sending has not started."""
    _require_manager(actor)
    with transaction.atomic():
        updated = Issue.objects.filter(pk=issue.pk, status=Issue.Status.APPROVED).update(
            status=Issue.Status.DRAFT, approved_by=None, approved_at=None
        )
        if not updated:
            raise ValidationError(_("Sending has started: the approval can no longer be withdrawn."))
        _log(issue, "unapproved", actor, from_state=Issue.Status.APPROVED, to_state=Issue.Status.DRAFT)
    issue.refresh_from_db()
    return issue


def remind_organizers(*, now: datetime | None = None) -> int:
    """A draft due for more than two days: tell the organizers, once per issue."""
    now = now or timezone.now()
    issue = Issue.objects.filter(status=Issue.Status.DRAFT, scheduled_for__lt=now - REMIND_AFTER).first()
    if issue is None or has_activity(issue, "newsletter.issue.reminded"):
        return 0
    with transaction.atomic():
        people = organizers()
        for organizer in people:
            queue_email(
                template="newsletter_reminder",
                to=organizer.email,
                context={
                    "name": organizer.display_name,
                    "issue": issue,
                    "manage_url": reverse("newsletter:issue_manage", args=[issue.pk]),
                },
                key=f"newsletter-reminder:{issue.pk}:{organizer.pk}",
            )
        _log(issue, "reminded", note=f"{len(people)} organizers")
    return len(people)


def run_newsletter_schedule(*, now: datetime | None = None) -> dict:
    """What beat runs: draft a due issue, send approved ones whose time came, remind, resume."""
    from . import sending

    now = now or timezone.now()
    report = {"drafted": None, "started": [], "reminded": 0, "resumed": 0}
    if issue_is_due(now=now):
        issue = draft_issue(now=now)
        report["drafted"] = issue.pk if issue else None
    for issue_id in Issue.objects.filter(status=Issue.Status.APPROVED, scheduled_for__lte=now).values_list(
        "pk", flat=True
    ):
        if sending.start_sending(issue_id, now=now):
            report["started"].append(issue_id)
    report["reminded"] = remind_organizers(now=now)
    report["resumed"] = sending.resume_stalled(now=now)
    return report


# Feedback ---------------------------------------------------------------------------------------


def leave_feedback(
    *, issue: Issue, body: str, actor=None, reader_token: str | None = None, item: IssueItem | None = None
) -> Feedback:
    """Record feedback on an issue or one of its items.

    Allowed for advisors and organizers signed in, or for a recipient holding the signed
    link of their e-mail (``reader_token``). No e-mail is sent: organizers and the group's
    chairs read it on the feedback page.
    """
    reader = tokens.reader_email(reader_token, issue.pk)
    signed_in = actor is not None and actor.is_authenticated
    if not (signed_in and actor.has_perm("newsletter.leave_feedback", issue)) and not (
        reader and issue.status == Issue.Status.SENT
    ):
        raise PermissionDenied(_("Only the newsletter's readers can leave feedback on it."))
    if item is not None and item.issue_id != issue.pk:
        raise ValidationError(_("That item is not part of this issue."))
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write something before sending your feedback."))
    feedback = Feedback(
        issue=issue,
        item=item,
        user=actor if signed_in else None,
        email=actor.email if signed_in else reader,
        name=actor.display_name if signed_in else _reader_name(issue, reader),
        body=body,
    )
    feedback.full_clean()
    feedback.save()
    return feedback


def _reader_name(issue: Issue, email: str) -> str:
    delivery = issue.deliveries.filter(email=email).only("name").first()
    return delivery.name if delivery else ""


# Subscriptions ----------------------------------------------------------------------------------


def subscribe(*, email: str, name: str = "", user=None) -> Subscription:
    """Ask for the newsletter.

    A signed-in person's verified address is confirmed at once; anyone else gets an e-mail
    with a confirmation link (double opt-in). Someone already subscribed gets nothing new,
    and the answer is the same, so the form does not reveal who subscribed.
    """
    email = email.strip().lower()
    now = timezone.now()
    verified = user is not None and user.is_authenticated and user.email.lower() == email
    with transaction.atomic():
        subscription, _created = Subscription.objects.select_for_update().get_or_create(
            email=email, defaults={"name": name[:100], "user": user if verified else None}
        )
        if verified:
            subscription.user = user
            subscription.name = user.display_name
            subscription.confirmed_at = subscription.confirmed_at or now
            subscription.unsubscribed_at = subscription.bounced_at = None
            subscription.save()
        elif subscription.confirmed_at is None or subscription.unsubscribed_at is not None:
            queue_email(
                template="newsletter_confirm",
                to=email,
                context={
                    "name": subscription.name,
                    "confirm_url": reverse("newsletter:confirm", args=[tokens.confirm_token(email)]),
                },
                # One confirmation a day per address: the form cannot be used to flood someone's inbox.
                key=f"newsletter-confirm:{email}:{now:%Y-%m-%d}",
                # Whoever typed the address reads the confirmation in the page's language, account or not.
                language=recipient_language(email, default=translation.get_language()),
            )
    return subscription


def confirm_subscription(*, token: str) -> Subscription:
    """The double opt-in: the link from the confirmation e-mail. Raises ValidationError if invalid."""
    email = tokens.email_from_confirm_token(token)
    subscription = Subscription.objects.filter(email=email).first() if email else None
    if subscription is None:
        raise ValidationError(_("This confirmation link is invalid or has expired. Subscribe again to get a new one."))
    subscription.confirmed_at = subscription.confirmed_at or timezone.now()
    subscription.unsubscribed_at = subscription.bounced_at = None
    subscription.save(update_fields=["confirmed_at", "unsubscribed_at", "bounced_at", "updated_at"])
    return subscription


def _subscription_for(email: str, user=None) -> Subscription:
    email = email.lower()
    if user is None:
        from accounts.models import User

        user = User.objects.filter(email__iexact=email).first()
    existing = Subscription.objects.filter(user=user).first() if user else None
    if existing:
        return existing
    subscription, _created = Subscription.objects.get_or_create(
        email=email, defaults={"user": user, "name": user.display_name if user else ""}
    )
    return subscription


def unsubscribe(*, email: str, user=None) -> Subscription:
    """Stop the newsletter for this address. Roles are untouched: an advisor stays an advisor."""
    with transaction.atomic():
        subscription = _subscription_for(email, user)
        if subscription.unsubscribed_at is None:
            subscription.unsubscribed_at = timezone.now()
            subscription.save(update_fields=["unsubscribed_at", "updated_at"])
    return subscription


def resubscribe(*, email: str, user=None) -> Subscription:
    """Start the newsletter again after unsubscribing (advisors, or confirmed subscribers)."""
    with transaction.atomic():
        subscription = _subscription_for(email, user)
        subscription.unsubscribed_at = subscription.bounced_at = None
        if user is not None and user.email.lower() == subscription.email and subscription.confirmed_at is None:
            subscription.confirmed_at = timezone.now()
        subscription.save()
    return subscription


def record_bounce(*, email: str) -> None:
    """The address was refused for good: stop sending to it until the person subscribes again."""
    subscription = _subscription_for(email)
    if subscription.bounced_at is None:
        subscription.bounced_at = timezone.now()
        subscription.save(update_fields=["bounced_at", "updated_at"])
