from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .forms import DeleteAccountForm, ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile = services.ensure_profile(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "languages"}
        services.update_profile(user=request.user, data=data, languages=form.cleaned_data["languages"])
        messages.success(request, "Your profile is saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"form": form, "missing": profile.missing_fields()})


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
