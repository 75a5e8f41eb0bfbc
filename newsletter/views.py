"""Pages of the news and the newsletter: thin, they call services and selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activity import selectors as activity_selectors
from roles.rules import is_advisor

from . import selectors, sending, services, tokens
from .forms import DeliveryFilterForm, FeedbackForm, IssueForm, NewsPostForm, SubscribeForm
from .models import Issue, IssueItem, NewsPost, Subscription

DELIVERIES_PER_PAGE = 50
NEWS_PER_PAGE = 10
ISSUES_PER_PAGE = 20
PREVIEW_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


def _organizer_only(request) -> None:
    if not request.user.has_perm("newsletter.manage_newsletter"):
        raise PermissionDenied


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# News -------------------------------------------------------------------------------------------


def news_list(request):
    page = Paginator(selectors.published_news(), NEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "newsletter/news_list.html",
        {"posts": page.object_list, "page": page, "can_manage": request.user.has_perm("newsletter.manage_newsletter")},
    )


def news_detail(request, slug):
    can_manage = request.user.has_perm("newsletter.manage_newsletter")
    posts = NewsPost.objects.select_related("author__profile") if can_manage else selectors.published_news()
    post = get_object_or_404(posts, slug=slug)
    return render(request, "newsletter/news_detail.html", {"post": post, "can_manage": can_manage})


@login_required
@require_http_methods(["GET", "POST"])
def news_create(request):
    _organizer_only(request)
    form = NewsPostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        post = services.create_news_post(actor=request.user, **form.cleaned_data)
        messages.success(request, _("The news post is saved."))
        return redirect(post)
    return render(request, "newsletter/news_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def news_edit(request, slug):
    _organizer_only(request)
    post = get_object_or_404(NewsPost, slug=slug)
    form = NewsPostForm(request.POST or None, instance=post)
    if request.method == "POST" and form.is_valid():
        post.refresh_from_db()  # the service, not the form, writes
        services.update_news_post(post, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The news post is saved."))
        return redirect(post)
    return render(request, "newsletter/news_form.html", {"form": form, "post": post})


# The archive and feedback -------------------------------------------------------------------------


def issue_list(request):
    page = Paginator(selectors.sent_issues_for(request.user), ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "newsletter/issue_list.html",
        {
            "issues": page.object_list,
            "page": page,
            "sees_all": request.user.has_perm("newsletter.read_all_issues"),
            "can_manage": request.user.has_perm("newsletter.manage_newsletter"),
            "chairs_feedback": request.user.has_perm("newsletter.view_feedback"),
        },
    )


@require_http_methods(["GET", "POST"])
def issue_detail(request, number):
    token = request.POST.get("r") if request.method == "POST" else request.GET.get("r")
    issue_id = Issue.objects.filter(number=number).values_list("pk", flat=True).first()
    reader = tokens.reader_email(token, issue_id) if issue_id else None
    issue = selectors.issue_for_reader(request.user, number, reader_email=reader)
    if issue is None:
        raise Http404("No such issue.")
    can_answer = bool(reader) or request.user.has_perm("newsletter.leave_feedback", issue)
    form = FeedbackForm(request.POST or None, issue=issue, initial={"r": token if reader else ""})
    if request.method == "POST":
        if not can_answer:
            raise PermissionDenied
        if form.is_valid():
            item = _item_of(issue, form.cleaned_data["item"])
            try:
                services.leave_feedback(
                    issue=issue, body=form.cleaned_data["body"], actor=request.user, reader_token=token, item=item
                )
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                messages.success(request, _("Thank you: your feedback was sent to the organizers."))
                suffix = f"?r={token}" if reader else ""
                return redirect(f"{issue.get_absolute_url()}{suffix}#feedback")
    return render(
        request,
        "newsletter/issue_detail.html",
        {"issue": issue, "form": form, "can_answer": can_answer, "reader": reader, **_sections(issue)},
    )


def _item_of(issue, item_id):
    if item_id is None:
        return None
    item = IssueItem.objects.filter(issue=issue, included=True, pk=item_id).first()
    if item is None:
        raise Http404("No such item in this issue.")
    return item


def _sections(issue) -> dict:
    items = list(issue.items.all())
    return {
        "news": [i for i in items if i.kind == IssueItem.Kind.NEWS],
        "progress": [i for i in items if i.kind == IssueItem.Kind.PROGRESS],
        "events": [i for i in items if i.kind == IssueItem.Kind.EVENT],
    }


@login_required
def feedback_list(request):
    feedback = selectors.feedback_visible_to(request.user)
    if not request.user.has_perm("newsletter.view_feedback"):
        raise PermissionDenied
    return render(
        request,
        "newsletter/feedback_list.html",
        {
            "feedback": feedback[:200],
            "counts": selectors.feedback_counts_by_issue(feedback),
            "sees_all": request.user.has_perm("newsletter.manage_newsletter"),
        },
    )


# The organizers' side -----------------------------------------------------------------------------


@login_required
def manage(request):
    _organizer_only(request)
    now = timezone.now()
    return render(
        request,
        "newsletter/issue_manage_list.html",
        {
            "issues": selectors.issues_for_organizers(),
            "next_due_at": services.next_issue_due_at(now=now),
            "preparing": Issue.objects.preparing().first(),
        },
    )


@login_required
@require_POST
def issue_draft(request):
    _organizer_only(request)
    try:
        issue = services.draft_issue(actor=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("newsletter:manage")
    if issue is None:
        messages.warning(
            request,
            "Nothing new since the last issue (no news post, no progress update, no event in the next four weeks): "
            "no issue was drafted, and none will be sent.",
        )
        return redirect("newsletter:manage")
    messages.success(
        request, _("%(title)s is drafted: add an editorial, preview it, then approve it.") % {"title": issue.title}
    )
    return redirect("newsletter:issue_manage", issue.pk)


@login_required
def issue_manage(request, pk):
    _organizer_only(request)
    issue = get_object_or_404(Issue, pk=pk)
    rendered = sending.render_issue(
        issue,
        reader_name=request.user.display_name,
        reader_email=request.user.email,
        zone=timezone.get_current_timezone_name(),
        language=translation.get_language(),
    )
    return render(
        request,
        "newsletter/issue_manage.html",
        {
            "issue": issue,
            "items": issue.items.all(),
            "rendered": rendered,
            "figures": selectors.delivery_figures(issue),
            # Before sending, how many it would reach now (advisors and confirmed subscribers).
            "recipients_now": len(sending.recipients())
            if issue.status in (Issue.Status.DRAFT, Issue.Status.APPROVED)
            else None,
            "feedback_count": issue.feedback.count(),
            "events": activity_selectors.activity_of(issue, limit=20),
            "has_items": issue.items.filter(included=True).exists(),
        },
    )


@login_required
@require_GET
def issue_deliveries(request, pk):
    """Who got the issue, who bounced, who failed, when: filters, pages and the resend of the failed."""
    _organizer_only(request)
    issue = get_object_or_404(Issue, pk=pk)
    form = DeliveryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    ledger = selectors.delivery_ledger(issue, status=filters.get("status") or "", q=filters.get("q") or "")
    page = Paginator(ledger, DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "newsletter/issue_deliveries.html",
        {
            "issue": issue,
            "form": form,
            "page": page,
            "deliveries": page.object_list,
            "page_query": query.urlencode(),
            "figures": selectors.delivery_figures(issue),
        },
    )


@login_required
@xframe_options_sameorigin
def issue_preview_html(request, pk):
    """The raw e-mail HTML, for the preview frame: sandboxed, no script, inline styles allowed."""
    _organizer_only(request)
    issue = get_object_or_404(Issue, pk=pk)
    rendered = sending.render_issue(
        issue,
        reader_name=request.user.display_name,
        reader_email=request.user.email,
        zone=timezone.get_current_timezone_name(),
        language=translation.get_language(),
    )
    response = HttpResponse(rendered.html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = PREVIEW_CSP
    return response


@login_required
@require_http_methods(["GET", "POST"])
def issue_edit(request, pk):
    _organizer_only(request)
    issue = get_object_or_404(Issue, pk=pk)
    if not issue.is_editable:
        messages.error(request, _("Only a draft can be edited. Withdraw the approval first."))
        return redirect("newsletter:issue_manage", issue.pk)
    form = IssueForm(request.POST or None, instance=issue)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        issue.refresh_from_db()
        try:
            services.update_issue(
                issue,
                actor=request.user,
                title=data["title"],
                editorial=data["editorial"],
                title_fr=data["title_fr"],
                editorial_fr=data["editorial_fr"],
                scheduled_for=data["scheduled_for"],
                is_public=data["is_public"],
                included_item_ids={item.pk for item in data["items"]},
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("The issue is saved. Check the preview below."))
            return redirect("newsletter:issue_manage", issue.pk)
    return render(request, "newsletter/issue_edit.html", {"issue": issue, "form": form})


def _refresh(request, issue):
    services.refresh_issue(issue, actor=request.user)
    return "The issue now includes everything up to now."


def _send_test(request, issue):
    services.send_test_issue(issue, actor=request.user)
    return f"A test was sent to {request.user.email}."


def _approve(request, issue):
    issue = services.approve_issue(issue, actor=request.user)
    if issue.scheduled_for <= timezone.now():
        return "Approved: it is being sent now."
    return f"Approved: it will be sent on {timezone.localtime(issue.scheduled_for):%d %B %Y at %H:%M}."


def _unapprove(request, issue):
    services.unapprove_issue(issue, actor=request.user)
    return "The approval is withdrawn: the issue is a draft again."


def _resend(request, issue):
    count = sending.resend_failed(issue, actor=request.user)
    return f"{count} failed deliver{'y' if count == 1 else 'ies'} queued again." if count else "No failed delivery."


def _toggle_public(request, issue):
    issue = services.set_issue_public(issue, actor=request.user, is_public=not issue.is_public)
    return "The issue is now public in the archive." if issue.is_public else "The issue is now for members only."


ISSUE_ACTIONS = {
    "refresh": _refresh,
    "test": _send_test,
    "approve": _approve,
    "unapprove": _unapprove,
    "resend": _resend,
    "public": _toggle_public,
}


@login_required
@require_POST
def issue_action(request, pk, action):
    _organizer_only(request)
    handler = ISSUE_ACTIONS.get(action)
    if handler is None:
        raise Http404("No such action.")
    issue = get_object_or_404(Issue, pk=pk)
    try:
        messages.success(request, handler(request, issue))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("newsletter:issue_manage", issue.pk)


# Subscribing and unsubscribing ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def subscribe(request):
    if request.user.is_authenticated:
        return redirect("newsletter:preferences")
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.subscribe(email=form.cleaned_data["email"], name=form.cleaned_data["name"])
        return render(request, "newsletter/subscribe_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "newsletter/subscribe_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    email = tokens.email_from_confirm_token(token)
    if request.method == "POST" and email:
        try:
            services.confirm_subscription(token=token)
        except ValidationError:
            email = None
        else:
            return render(request, "newsletter/subscribe_confirmed.html", {"email": email})
    return render(request, "newsletter/subscribe_confirm.html", {"email": email}, status=200 if email else 400)


@csrf_exempt  # RFC 8058: mail programs POST here without a CSRF token; the signed link is the credential
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    email = tokens.email_from_unsubscribe_token(token)
    if email is None:
        return render(request, "newsletter/unsubscribe_confirm.html", {"email": None}, status=400)
    if request.method == "POST":
        services.unsubscribe(email=email)
        return render(request, "newsletter/unsubscribe_done.html", {"email": email, "token": token})
    return render(request, "newsletter/unsubscribe_confirm.html", {"email": email, "token": token})


@require_POST
def resubscribe(request, token):
    email = tokens.email_from_unsubscribe_token(token)
    if email is None:
        return render(request, "newsletter/unsubscribe_confirm.html", {"email": None}, status=400)
    services.resubscribe(email=email)
    messages.success(request, _("The newsletter will reach %(email)s again.") % {"email": email})
    return render(request, "newsletter/unsubscribe_done.html", {"email": email, "token": token, "resubscribed": True})


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    user = request.user
    if request.method == "POST":
        choice = request.POST.get("newsletter")
        if choice == "stop":
            services.unsubscribe(email=user.email, user=user)
            messages.success(request, _("You will no longer receive the newsletter. Your roles are unchanged."))
        elif choice == "start":
            if is_advisor(user) or Subscription.objects.filter(user=user).exists():
                services.resubscribe(email=user.email, user=user)
            else:
                services.subscribe(email=user.email, user=user)
            messages.success(request, _("You will receive the newsletter every two weeks."))
        else:
            messages.error(request, _("Choose to stop or to start the newsletter."))
        return redirect("newsletter:preferences")
    subscription = Subscription.objects.filter(user=user).first()
    advisor = is_advisor(user)
    receiving = (advisor or bool(subscription and subscription.confirmed_at)) and (
        subscription is None or subscription.is_receiving
    )
    return render(
        request,
        "newsletter/preferences.html",
        {
            "subscription": subscription,
            "advisor": advisor,
            "receiving": receiving,
            "archive_url": reverse("newsletter:issue_list"),
        },
    )
