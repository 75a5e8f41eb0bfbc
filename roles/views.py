from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.services import ensure_profile
from activity.views import history_page

from . import rules, selectors, services
from .forms import ApplicationForm, DecisionForm
from .models import Application, Invitation, Participation, Role

INVITATION_SESSION_KEY = "pending_invitation"
HISTORY_PER_PAGE = 50  # newest first; the last page holds the oldest entries
REVIEW_PER_PAGE = 20  # oldest first: the ones waiting longest are on the first page


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@require_GET
def role_list(request):
    return render(request, "roles/role_list.html", {"roles": Role.objects.select_related("committee")})


def _apply_context(request, role: Role, form=None) -> dict:
    user = request.user
    context = {"role": role, "form": form}
    if not user.is_authenticated:
        return context
    context["verified"] = user.has_perm("roles.apply_for_role")
    context["missing"] = ensure_profile(user=user).missing_fields()
    context["held"] = list(
        Participation.objects.filter(user=user, role=role, status__in=selectors.CURRENT).select_related("working_group")
    )
    context["pending"] = list(
        Application.objects.filter(user=user, role=role, status=Application.Status.PENDING).select_related(
            "working_group"
        )
    )
    if form is None and context["verified"] and not context["missing"]:
        initial = {"working_group": request.GET.get("group")} if request.GET.get("group", "").isdigit() else {}
        context["form"] = ApplicationForm(role=role, initial=initial)
    return context


@require_GET
def role_detail(request, slug):
    role = get_object_or_404(Role.objects.select_related("committee"), slug=slug)
    return render(request, "roles/role_detail.html", _apply_context(request, role))


@login_required
@require_POST
def apply(request, slug):
    role = get_object_or_404(Role, slug=slug)
    form = ApplicationForm(request.POST, role=role)
    if form.is_valid():
        try:
            application = services.submit_application(
                user=request.user,
                role=role,
                working_group=form.cleaned_data.get("working_group"),
                motivation=form.cleaned_data.get("motivation", ""),
            )
        except (ValidationError, PermissionDenied) as error:
            text = _error_text(error) if isinstance(error, ValidationError) else str(error)
            form.add_error(None, text)
        else:
            if application.status == Application.Status.APPROVED:
                messages.success(request, _("You are now %(name)s. Welcome!") % {"name": role.label})
            else:
                messages.success(request, _("Your application is sent. You will hear from us by e-mail."))
            return redirect("my_participation")
    return render(request, "roles/role_detail.html", _apply_context(request, role, form), status=200)


@login_required
@require_GET
def my_participation(request):
    context = selectors.participation_page_data(request.user)
    token = request.session.get(INVITATION_SESSION_KEY)
    if token:
        context["pending_invitation"] = (
            Invitation.objects.filter(token=token, status=Invitation.Status.PENDING)
            .select_related("working_group")
            .first()
        )
    return render(request, "roles/participation_mine.html", context)


@login_required
@require_POST
def withdraw_application(request, pk):
    application = get_object_or_404(Application, pk=pk, user=request.user)
    try:
        services.withdraw_application(application, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("my_participation")


@login_required
@require_http_methods(["GET", "POST"])
def leave_role(request, pk):
    participation = get_object_or_404(
        Participation.objects.select_related("role", "working_group"),
        pk=pk,
        user=request.user,
        status__in=selectors.CURRENT,
    )
    if request.method == "POST":
        try:
            services.leave_role(participation, actor=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("You left the role %(name)s.") % {"name": participation.role.label})
        return redirect("my_participation")
    return render(request, "roles/participation_leave.html", {"participation": participation})


@login_required
@require_POST
def decide_application(request, pk):
    application = get_object_or_404(Application.objects.select_related("role", "working_group", "user"), pk=pk)
    if not request.user.has_perm("roles.review_application", application):
        # Not theirs to review: answer as if it did not exist, so ids reveal nothing.
        raise Http404("No such application.")
    default = reverse("roles:review")
    if application.working_group_id and application.role.reviewed_by == Role.Reviewer.CHAIRS:
        default = reverse("working_groups:manage", args=[application.working_group.slug])
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or decline; the note is at most 2000 characters."))
        return redirect(_safe_next(request, default))
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.decide_application(application, approve=approve, actor=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        text = (
            _("The application of %(name)s is approved.") if approve else _("The application of %(name)s is declined.")
        )
        messages.success(request, text % {"name": application.user.display_name})
    return redirect(_safe_next(request, default))


@login_required
@require_GET
def review(request):
    if not request.user.has_perm("roles.review_organizer_applications"):
        raise PermissionDenied
    page = Paginator(selectors.organizer_review_queue(), REVIEW_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "roles/application_review.html",
        {"applications": page.object_list, "page": page, "decision_form": DecisionForm()},
    )


@login_required
@require_GET
def history(request):
    """The whole activity log, for the organizers."""
    return history_page(request)


@require_GET
def steering(request):
    return render(request, "roles/steering_roster.html", selectors.steering_roster())


@require_GET
def organization(request):
    return render(request, "roles/organization_committee.html", selectors.organization_committee())


@require_GET
def figures(request):
    return render(request, "roles/participation_figures.html", selectors.participation_figures())


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """The link in an invitation e-mail: sign up or in on the way, then accept."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("working_group", "invited_by__profile"), token=token
    )
    here = request.get_full_path()
    if invitation.is_usable:
        request.session[INVITATION_SESSION_KEY] = token
    context = {"invitation": invitation, "next": here}
    if not request.user.is_authenticated or request.method == "GET":
        context["verified"] = rules.is_verified(request.user)
        return render(request, "roles/invitation_detail.html", context)
    try:
        participation = services.accept_invitation(invitation, user=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error) if isinstance(error, ValidationError) else str(error))
        return redirect(here)
    request.session.pop(INVITATION_SESSION_KEY, None)
    if participation.status == Participation.Status.WAITING:
        messages.success(
            request,
            _("%(working_group)s is full: you are on its waiting list.") % {"working_group": invitation.working_group},
        )
    else:
        messages.success(request, _("Welcome to %(working_group)s!") % {"working_group": invitation.working_group})
    return redirect(invitation.working_group.get_absolute_url())
