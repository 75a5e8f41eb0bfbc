from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activity.views import history_page
from bigscience_portal.exports import csv_response, in_english
from roles import selectors as role_selectors
from roles import services as role_services
from roles.forms import AppointChairForm, DecisionForm, InviteForm, ReasonForm
from roles.models import Invitation, Participation

from . import selectors, services
from .forms import GroupCreateForm, GroupForm, MemberFilterForm, ProgressUpdateForm
from .models import WorkingGroup

MEMBERS_PER_PAGE = 50
HISTORY_PER_PAGE = 50  # newest first; the last page holds the oldest entries
APPLICATIONS_PER_PAGE = 20  # oldest first: the ones waiting longest are on the first page


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _managed_group(request, slug) -> WorkingGroup:
    """The group, if the signed-in person may manage it (its chairs, organizers); else 403."""
    group = get_object_or_404(WorkingGroup, slug=slug)
    if not request.user.has_perm("working_groups.manage_group", group):
        raise PermissionDenied
    return group


def _member(group, pk) -> Participation:
    return get_object_or_404(
        Participation.objects.select_related("role", "user__profile", "working_group"),
        pk=pk,
        working_group=group,
        status__in=role_selectors.CURRENT,
    )


# --- public pages -------------------------------------------------------------------------


@require_GET
def group_list(request):
    return render(request, "working_groups/group_list.html", {"groups": selectors.public_group_list()})


@require_GET
def group_detail(request, slug):
    group = get_object_or_404(WorkingGroup, slug=slug)
    return render(request, "working_groups/group_detail.html", selectors.group_page_data(group, request.user))


# --- organizers ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request):
    if not request.user.has_perm("working_groups.create_group"):
        raise PermissionDenied
    form = GroupCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_group(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(group)s is created. Appoint its first chair below.") % {"group": group})
            return redirect("working_groups:manage", group.slug)
    return render(request, "working_groups/group_form.html", {"form": form, "creating": True})


# --- the management area --------------------------------------------------------------------


@login_required
@require_GET
def manage(request, slug):
    group = _managed_group(request, slug)
    filters = MemberFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    members = role_selectors.group_members(group, **{k: v for k, v in chosen.items() if v})
    # A large group's roster is paged: one page of forms is what a chair can act on at once.
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    pending = Paginator(role_selectors.pending_applications_for_group(group), APPLICATIONS_PER_PAGE).get_page(
        request.GET.get("apage")
    )
    pending_query = request.GET.copy()
    pending_query.pop("apage", None)
    return render(
        request,
        "working_groups/group_manage.html",
        {
            "group": group,
            "applications": pending.object_list,
            "applications_page": pending,
            "applications_query": pending_query.urlencode(),
            "members": page.object_list,
            "page": page,
            "page_query": query.urlencode(),
            "chair_count": role_selectors.active_chair_count(group),
            "filters": filters,
            "invitations": role_selectors.group_invitations(group),
            "invite_form": InviteForm(),
            "decision_form": DecisionForm(),
            "appoint_form": AppointChairForm() if request.user.has_perm("roles.appoint_chair", group) else None,
        },
    )


@in_english
@login_required
@require_GET
def members_csv(request, slug):
    group = _managed_group(request, slug)

    def rows():
        for member in role_selectors.group_members(group):
            profile = getattr(member.user, "profile", None)
            yield [
                member.user.display_name,
                member.user.email,
                member.role.slug,
                member.status,
                profile.affiliation if profile else "",
                profile.country.code if profile and profile.country else "",
                " ".join(lang.code for lang in profile.languages.all()) if profile else "",
                member.started_at.date().isoformat(),
            ]

    return csv_response(
        filename=f"{group.slug}-members.csv",
        header=["name", "email", "role", "status", "affiliation", "country", "languages", "since"],
        rows=rows(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request, slug):
    group = _managed_group(request, slug)
    form = GroupForm(request.POST or None, instance=WorkingGroup.objects.get(pk=group.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_group(group, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The group's page is saved."))
            return redirect("working_groups:manage", group.slug)
    return render(request, "working_groups/group_form.html", {"form": form, "group": group})


@login_required
@require_GET
def group_history(request, slug):
    """The group's part of the activity log, for its chairs and the organizers."""
    return history_page(request, group=get_object_or_404(WorkingGroup, slug=slug))


@login_required
@require_http_methods(["GET", "POST"])
def progress_create(request, slug):
    group = _managed_group(request, slug)
    form = ProgressUpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_progress_update(group=group, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The progress update is posted."))
            return redirect(group.get_absolute_url())
    return render(request, "working_groups/progress_form.html", {"form": form, "group": group})


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request, slug, pk):
    group = _managed_group(request, slug)
    member = _member(group, pk)
    if not request.user.has_perm("roles.remove_member", member):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role_services.remove_member(member, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(display_name)s is removed from %(group)s.")
                % {"display_name": member.user.display_name, "group": group},
            )
            return redirect("working_groups:manage", group.slug)
    return render(request, "working_groups/member_remove.html", {"form": form, "group": group, "member": member})


@login_required
@require_POST
def member_chair(request, slug, pk):
    group = _managed_group(request, slug)
    member = _member(group, pk)
    promote = request.POST.get("chair") == "yes"
    try:
        role_services.set_chair(member, actor=request.user, chair=promote)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        name = member.user.display_name
        text = _("%(name)s is now a co-chair.") if promote else _("%(name)s is now a participant.")
        messages.success(request, text % {"name": name})
    return redirect("working_groups:manage", group.slug)


@login_required
@require_POST
def appoint_chair(request, slug):
    group = _managed_group(request, slug)
    if not request.user.has_perm("roles.appoint_chair", group):
        raise PermissionDenied
    form = AppointChairForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid e-mail address."))
        return redirect("working_groups:manage", group.slug)
    person = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
    if person is None:
        messages.error(request, _("No account uses that e-mail address: invite them first, then appoint them."))
        return redirect("working_groups:manage", group.slug)
    try:
        role_services.appoint_chair(group=group, user=person, actor=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("%(display_name)s is now a chair of %(group)s.") % {"display_name": person.display_name, "group": group},
        )
    return redirect("working_groups:manage", group.slug)


@login_required
@require_POST
def invite(request, slug):
    group = _managed_group(request, slug)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            role_services.invite_by_email(group=group, email=form.cleaned_data["email"], actor=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request, _("An invitation is on its way to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
    else:
        messages.error(request, _("Enter a valid e-mail address to invite."))
    return redirect("working_groups:manage", group.slug)


@login_required
@require_POST
def invitation_action(request, slug, pk, action):
    group = _managed_group(request, slug)
    invitation = get_object_or_404(Invitation, pk=pk, working_group=group)
    service = {"resend": role_services.resend_invitation, "withdraw": role_services.withdraw_invitation}[action]
    try:
        service(invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        text = (
            _("The invitation to %(email)s is sent again.")
            if action == "resend"
            else _("The invitation to %(email)s is withdrawn.")
        )
        messages.success(request, text % {"email": invitation.email})
    return redirect("working_groups:manage", group.slug)
