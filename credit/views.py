from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bigscience_portal.exports import in_english
from working_groups.models import WorkingGroup

from . import exports, selectors, services, taxonomy
from .forms import ConfirmForm, ContributorForm, CreditSettingsForm, OutputForm, PickForm
from .models import Contributor, Output

User = get_user_model()


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _visible_output(request, slug) -> Output:
    """The output, if this person may see it; else the same 404 as a missing one."""
    output = get_object_or_404(selectors.output_queryset(), slug=slug)
    if not request.user.has_perm("credit.view_output", output):
        raise Http404("No such output.")
    return output


def _editable_output(request, slug) -> Output:
    output = _visible_output(request, slug)
    if not request.user.has_perm("credit.change_output", output):
        raise PermissionDenied
    return output


def _contributor(output, pk) -> Contributor:
    return get_object_or_404(Contributor.objects.select_related("user", "working_group"), pk=pk, output=output)


def _managed_groups(user):
    ids = [g.pk for g in WorkingGroup.objects.all() if user.has_perm("credit.add_output_for_group", g)]
    return WorkingGroup.objects.filter(pk__in=ids)


# --- public pages -------------------------------------------------------------------------


@require_GET
def output_list(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in Output.Kind.values else ""
    group = WorkingGroup.objects.filter(slug=request.GET.get("group", "")).first()
    return render(
        request,
        "credit/output_list.html",
        {
            "outputs": selectors.visible_outputs(request.user, kind=kind, group=group),
            "kinds": Output.Kind.choices,
            "groups": WorkingGroup.objects.order_by("name"),
            "kind": kind,
            "group": group,
            "can_add": request.user.has_perm("credit.add_output"),
        },
    )


@require_GET
def output_detail(request, slug):
    output = _visible_output(request, slug)
    context = selectors.output_page_data(output, request.user)
    context["formats"] = [(name, spec[3]) for name, spec in exports.FORMATS.items()]
    context["taxonomy"] = taxonomy.ROLES
    return render(request, "credit/output_detail.html", context)


@in_english
@require_GET
def export(request, slug, fmt):
    output = _visible_output(request, slug)
    build, media_type, filename, _label = exports.FORMATS[fmt]
    body = build(output, selectors.contributors_of(output))
    response = HttpResponse(body, content_type=f"{media_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{output.slug}-{filename}"'
    return response


# --- the chairs' pages --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def output_create(request):
    if not request.user.has_perm("credit.add_output"):
        raise PermissionDenied
    groups = _managed_groups(request.user)
    form = OutputForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("working_groups")
        try:
            output = services.create_output(actor=request.user, working_groups=chosen, **data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _error_text(error) if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("The output is registered. Now pick its contributors."))
            return redirect("credit:contributors", output.slug)
    return render(request, "credit/output_form.html", {"form": form, "output": None})


@login_required
@require_http_methods(["GET", "POST"])
def output_edit(request, slug):
    output = _editable_output(request, slug)
    groups = _managed_groups(request.user) | output.working_groups.all()
    form = OutputForm(request.POST or None, instance=Output.objects.get(pk=output.pk), groups=groups.distinct())
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.OUTPUT_FIELDS}
        try:
            services.update_output(
                actor=request.user, output=output, working_groups=form.cleaned_data["working_groups"], **data
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _error_text(error) if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("The output is saved."))
            return redirect("credit:output_detail", output.slug)
    return render(request, "credit/output_form.html", {"form": form, "output": output})


@login_required
@require_GET
def contributors(request, slug):
    output = _editable_output(request, slug)
    proposals = selectors.proposal_for(output)
    return render(
        request,
        "credit/contributors_manage.html",
        {
            "output": output,
            "contributors": selectors.contributors_of(output, listed_only=False),
            "proposals": proposals,
            "pick_form": PickForm(proposals=proposals),
            "taxonomy": taxonomy.ROLES,
        },
    )


@login_required
@require_POST
def contributors_pick(request, slug):
    output = _editable_output(request, slug)
    proposals = selectors.proposal_for(output)
    form = PickForm(request.POST, proposals=proposals)
    if not form.is_valid():
        messages.error(request, _("Pick at least one person among the proposed ones."))
        return redirect("credit:contributors", output.slug)
    picked = set(form.cleaned_data["people"])
    entries = [
        services.ContributorEntry(user=p.user, roles=form.cleaned_data["roles"], working_group=p.working_group)
        for p in proposals
        if str(p.user.pk) in picked
    ]
    try:
        added = services.add_contributors(actor=request.user, output=output, entries=entries)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("%(n)d contributor(s) added; each is asked to confirm.") % {"n": len(added)})
    return redirect("credit:contributors", output.slug)


@login_required
@require_http_methods(["GET", "POST"])
def contributor_add(request, slug):
    output = _editable_output(request, slug)
    form = ContributorForm(request.POST or None, output=output)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = None
        if data["email"]:
            user = User.objects.filter(email__iexact=data["email"], is_active=True).select_related("profile").first()
            if user is None:
                form.add_error("email", _("No account uses this address: leave it empty and give the name."))
        if not form.errors:
            entry = services.ContributorEntry(
                user=user,
                name=data["name"],
                affiliations=data["affiliations"],
                roles=data["roles"],
                working_group=data["working_group"],
                equal_contribution=data["equal_contribution"],
                corresponding=data["corresponding"],
            )
            try:
                added = services.add_contributors(actor=request.user, output=output, entries=[entry])
            except ValidationError as error:
                form.add_error(None, _error_text(error))
            else:
                if added:
                    messages.success(request, _("%(name)s is added.") % {"name": added[0].name})
                else:
                    messages.warning(request, _("This person already is a contributor."))
                return redirect("credit:contributors", output.slug)
    return render(request, "credit/contributor_form.html", {"form": form, "output": output, "taxonomy": taxonomy.ROLES})


@login_required
@require_http_methods(["GET", "POST"])
def contributor_edit(request, slug, pk):
    output = _editable_output(request, slug)
    contributor = _contributor(output, pk)
    confirmed = contributor.state == Contributor.State.CONFIRMED
    initial = {
        "name": contributor.name,
        "affiliations": contributor.affiliations,
        "roles": contributor.roles,
        "working_group": contributor.working_group,
        "equal_contribution": contributor.equal_contribution,
        "corresponding": contributor.corresponding,
    }
    form = ContributorForm(request.POST or None, initial=initial, output=output, editing=True, confirmed=confirmed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_contributor(
                actor=request.user,
                contributor=contributor,
                roles=data["roles"],
                equal_contribution=data["equal_contribution"],
                corresponding=data["corresponding"],
                working_group=data["working_group"],
                name=data.get("name"),
                affiliations=data.get("affiliations"),
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The entry is saved."))
            return redirect("credit:contributors", output.slug)
    return render(
        request,
        "credit/contributor_form.html",
        {"form": form, "output": output, "contributor": contributor, "taxonomy": taxonomy.ROLES},
    )


@login_required
@require_POST
def contributor_move(request, slug, pk):
    output = _editable_output(request, slug)
    contributor = _contributor(output, pk)
    try:
        position = int(request.POST.get("position", ""))
    except ValueError:
        messages.error(request, _("Give the new position as a number."))
    else:
        services.move_contributor(actor=request.user, contributor=contributor, position=position)
    return redirect("credit:contributors", output.slug)


@login_required
@require_POST
def contributor_remove(request, slug, pk):
    output = _editable_output(request, slug)
    contributor = _contributor(output, pk)
    services.remove_contributor(actor=request.user, contributor=contributor)
    messages.success(request, _("%(name)s is no longer on the list.") % {"name": contributor.name})
    return redirect("credit:contributors", output.slug)


# --- the person's own pages ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request, pk):
    contributor = get_object_or_404(Contributor.objects.select_related("output"), pk=pk)
    if not request.user.has_perm("credit.confirm_contributor", contributor):
        raise Http404("No such entry.")
    initial = {
        "name": contributor.name,
        "affiliations": contributor.affiliations,
        "orcid": contributor.orcid,
        "listed": contributor.listed,
    }
    form = ConfirmForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_contribution(actor=request.user, contributor=contributor, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Thank you: your entry is confirmed."))
            return redirect("credit:mine")
    return render(
        request,
        "credit/contributor_confirm.html",
        {"form": form, "contributor": contributor, "output": contributor.output},
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_credits(request):
    settings = selectors.credit_settings_of(request.user)
    form = CreditSettingsForm(request.POST or None, initial={"public": settings.public})
    if request.method == "POST" and form.is_valid():
        services.set_credits_public(actor=request.user, person=request.user, public=form.cleaned_data["public"])
        messages.success(request, _("Your choice is saved."))
        return redirect("credit:mine")
    return render(
        request,
        "credit/credits_mine.html",
        {
            "form": form,
            "credits": selectors.credits_of(request.user, request.user),
            "pending": selectors.awaiting_confirmation(request.user),
            "public": settings.public,
        },
    )


@require_GET
def person_credits(request, pk):
    person = get_object_or_404(User.objects.select_related("profile", "credit_settings"), pk=pk, is_active=True)
    if not request.user.has_perm("credit.view_credits", person):
        raise Http404("No such page.")
    return render(
        request,
        "credit/credits_person.html",
        {"person": person, "credits": selectors.credits_of(person, request.user)},
    )
