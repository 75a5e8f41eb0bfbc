from allauth.account.adapter import DefaultAccountAdapter

from .services import ensure_profile


class AccountAdapter(DefaultAccountAdapter):
    """Creates the profile with the account (instead of a model signal)."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            ensure_profile(user=user)
        return user
