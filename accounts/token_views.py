"""The settings page for personal API tokens: create (shown once), see last use, revoke."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import tokens


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Token name",
        help_text="What will use it, e.g. “forum bot” or “my dashboard”.",
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    form = TokenForm(request.POST or None)
    created = raw = None
    if request.method == "POST" and form.is_valid():
        try:
            created, raw = tokens.create_token(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name" if hasattr(error, "error_dict") else None, error)
        else:
            form = TokenForm()
    context = {"form": form, "tokens": tokens.tokens_for(request.user), "created": created, "raw_token": raw}
    return render(request, "accounts/token_list.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def token_revoke(request, pk: int):
    if tokens.revoke_token(user=request.user, token_id=pk):
        messages.success(request, _("The token is revoked: programs using it can no longer call the API."))
    else:
        messages.error(request, _("That token does not exist or is already revoked."))
    return redirect("accounts:tokens")
