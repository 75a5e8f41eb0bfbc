from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from bigscience_portal.exports import in_english

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


@csrf_exempt
@require_POST
def set_language(request):
    """The header's language switcher: Django's ``set_language`` (cookie, back to ``next``), and for a
    signed-in person the profile too, since the profile's language wins over the cookie.

    A visitor's form carries no CSRF token, so the public pages stay cacheable (a token is per
    visitor); all it can change is a cookie of the visitor's own. A signed-in person's change is
    kept in the database, so it is checked as any other write.
    """
    if request.user.is_authenticated:
        refused = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
        if refused is not None:
            return refused
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.set_language(user=request.user, language=language)
    return response


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


@in_english
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
