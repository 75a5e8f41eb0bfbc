from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .forms import DeleteAccountForm, ProfileForm


def _safe_next(request) -> str:
    """Where to go after saving: a page of this site the person came from (an application they started)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile = services.ensure_profile(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    next_url = _safe_next(request)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "languages"}
        services.update_profile(user=request.user, data=data, languages=form.cleaned_data["languages"])
        if next_url:
            messages.success(request, _("Your profile is saved. Here is where you left off."))
            return redirect(next_url)
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile_edit.html",
        {"form": form, "missing": profile.missing_fields(), "next_url": next_url},
    )


@login_required
@require_POST
def data_export(request):
    response = HttpResponse(services.export_user_data(user=request.user), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="my-bigscience-data.json"'
    add_never_cache_headers(response)  # personal data: no browser or proxy keeps it
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            services.delete_account(user=user, actor=user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            logout(request)
            messages.success(request, _("Your account and its data are deleted."))
            return redirect("home")
    return render(request, "accounts/account_delete.html", {"form": form})
