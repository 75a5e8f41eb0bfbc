"""Pages of the guided tasks: the board, a task, claiming and reporting, review, the chairs' tools."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from working_groups.models import WorkingGroup

from . import selectors, services
from .forms import BoardFilterForm, ClaimForm, ContributionForm, GroupTokenForm, ReviewerForm, ReviewForm, TaskForm
from .models import Claim, Contribution, GroupToken, Task

TASKS_PER_PAGE = 20


def _error_text(error) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def _visible_task(request, pk) -> Task:
    """The task if this person may see it; a draft is a 404 to others, like a missing task."""
    task = selectors.task_for_page(pk)
    if task is None or not request.user.has_perm("tasks.view_task", task):
        raise Http404
    return task


def _managed_group(request, slug) -> WorkingGroup:
    group = get_object_or_404(WorkingGroup, slug=slug)
    if not request.user.has_perm("tasks.create_task", group):
        raise PermissionDenied
    return group


def _editable_task(request, pk) -> Task:
    task = _visible_task(request, pk)
    if not request.user.has_perm("tasks.edit_task", task):
        raise PermissionDenied
    return task


# --- public pages ---------------------------------------------------------------------------


@require_GET
def board(request):
    mine = selectors.profile_language_ids(request.user)
    filters = BoardFilterForm(request.GET or None, has_languages=bool(mine))
    chosen = filters.cleaned_data if filters.is_valid() else {}
    language = chosen.get("language", "")
    languages = mine if language == "" else ([] if language == "all" else [language])
    tasks = selectors.board(
        languages=languages, skill=chosen.get("skill"), level=chosen.get("level", ""), group=chosen.get("group")
    )
    page = Paginator(tasks, TASKS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tasks/task_board.html",
        {
            "filters": filters,
            "tasks": selectors.board_page(page.object_list),
            "page": page,
            "page_query": query.urlencode(),
            "using_my_languages": language == "" and bool(mine),
        },
    )


@require_GET
def task_detail(request, pk):
    task = _visible_task(request, pk)
    context = selectors.task_page_data(task, request.user)
    if request.user.is_authenticated:
        context["claim_form"] = ClaimForm()
        context["needs_attendant"] = services.needs_attendant_role(request.user)
    return render(request, "tasks/task_detail.html", context)


@require_GET
def languages(request):
    return render(request, "tasks/languages.html", {"rows": selectors.languages_page_data()})


# --- claiming and reporting -------------------------------------------------------------------


@login_required
@require_POST
def claim(request, pk):
    task = _visible_task(request, pk)
    form = ClaimForm(request.POST)
    form.is_valid()
    try:
        claim = services.claim_task(
            task, user=request.user, become_attendant=form.cleaned_data.get("become_attendant", False)
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
        return redirect(task)
    messages.success(request, _("The task is yours. Report your work here as you go."))
    return redirect("tasks:report", claim.pk)


def _own_claim(request, pk) -> Claim:
    """The person's own claim; anyone else's is a 404."""
    claim = get_object_or_404(Claim.objects.select_related("task__working_group"), pk=pk)
    if claim.user_id != request.user.pk or not request.user.has_perm("tasks.release_claim", claim):
        raise Http404
    return claim


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    claim = _own_claim(request, pk)
    task = claim.task
    form = ContributionForm(request.POST or None, task=task)
    if request.method == "POST" and form.is_valid():
        try:
            contribution = services.report_contribution(claim, actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
                form.add_error(None, error)
            else:
                form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                _("Reported %(n)s items; the task's reviewers will look at them.") % {"n": contribution.items},
            )
            return redirect("tasks:report", claim.pk)
    context = selectors.task_page_data(task, request.user)
    context.update({"claim": claim, "form": form})
    return render(request, "tasks/task_report.html", context)


@login_required
@require_POST
def release(request, pk):
    claim = _own_claim(request, pk)
    try:
        services.release_claim(claim, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("You gave up the task; its place is free for someone else."))
    return redirect(claim.task)


# --- review -------------------------------------------------------------------------------------


@login_required
@require_GET
def review(request, pk):
    task = _visible_task(request, pk)
    if not request.user.has_perm("tasks.review_task", task):
        raise PermissionDenied
    return render(
        request,
        "tasks/task_review.html",
        {
            "task": task,
            "contributions": selectors.review_queue(task),
            "review_form": ReviewForm(),
            "reviewers": selectors.reviewers_of(task),
            "reviewer_form": ReviewerForm(),
        },
    )


@login_required
@require_POST
def review_contribution(request, pk):
    contribution = get_object_or_404(Contribution.objects.select_related("task__working_group", "user"), pk=pk)
    task = contribution.task
    if not request.user.has_perm("tasks.review_task", task):
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept, ask for changes or reject."))
        return redirect("tasks:review", task.pk)
    try:
        services.review_contribution(contribution, actor=request.user, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("Your review is saved and %(name)s is told by e-mail.") % {"name": contribution.user.display_name},
        )
    return redirect("tasks:review", task.pk)


@login_required
@require_POST
def reviewers(request, pk):
    task = _visible_task(request, pk)
    if not request.user.has_perm("tasks.name_reviewers", task):
        raise PermissionDenied
    User = get_user_model()
    remove = request.POST.get("remove", "")
    try:
        if remove.isdigit():
            services.remove_reviewer(task, actor=request.user, user=get_object_or_404(User, pk=int(remove)))
            messages.success(request, _("The reviewer is removed."))
        else:
            form = ReviewerForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Enter a valid e-mail address."))
            person = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
            if person is None:
                raise ValidationError(_("No account uses that e-mail address."))
            services.name_reviewer(task, actor=request.user, user=person)
            messages.success(request, _("%(name)s now reviews this task.") % {"name": person.display_name})
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("tasks:review", task.pk)


# --- the chairs' tools --------------------------------------------------------------------------


@login_required
@require_GET
def group_tasks(request, slug):
    group = _managed_group(request, slug)
    return render(
        request,
        "tasks/group_tasks.html",
        {
            "group": group,
            "tasks": selectors.group_tasks(group),
            "tokens": selectors.group_tokens(group),
            "token_form": GroupTokenForm(),
            "new_token": request.session.pop("new_group_token", None),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request, slug):
    group = _managed_group(request, slug)
    form = TaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            task = services.create_task(
                actor=request.user, group=group, languages=data.pop("languages"), skills=data.pop("skills"), **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The task is saved as a draft. Publish it when it is ready."))
            return redirect(task)
    return render(request, "tasks/task_form.html", {"form": form, "group": group})


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request, pk):
    task = _editable_task(request, pk)
    form = TaskForm(request.POST or None, instance=Task.objects.get(pk=task.pk))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.update_task(
                task, actor=request.user, languages=data.pop("languages"), skills=data.pop("skills"), **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The task is saved."))
            return redirect(task)
    return render(request, "tasks/task_form.html", {"form": form, "group": task.working_group, "task": task})


@login_required
@require_POST
def task_copy(request, pk):
    task = _editable_task(request, pk)
    copy = services.copy_task(task, actor=request.user)
    messages.success(request, _("This is a copy of “%(title)s”, saved as a draft.") % {"title": task.title})
    return redirect("tasks:edit", copy.pk)


@login_required
@require_POST
def task_status(request, pk):
    task = _editable_task(request, pk)
    try:
        task = services.set_task_status(task, actor=request.user, status=request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The task is now %(status)s.") % {"status": task.get_status_display().lower()})
    return redirect(task)


@login_required
@require_POST
def token_create(request, slug):
    group = _managed_group(request, slug)
    form = GroupTokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Name the tool and choose what the token may do."))
        return redirect("tasks:group_tasks", group.slug)
    try:
        token, raw = services.create_group_token(group=group, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        # Shown once, on the next page, then gone: only its digest is stored.
        request.session["new_group_token"] = {"name": token.name, "raw": raw}
    return redirect("tasks:group_tasks", group.slug)


@login_required
@require_POST
def token_revoke(request, slug, pk):
    group = _managed_group(request, slug)
    token = get_object_or_404(GroupToken, pk=pk, working_group=group)
    try:
        services.revoke_group_token(token, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("tasks:group_tasks", group.slug)
