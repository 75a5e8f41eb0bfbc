from allauth.account.forms import SignupForm
from django import forms
from django.contrib.auth.hashers import make_password

from .models import Language, Profile


class ProfileForm(forms.ModelForm):
    languages = forms.ModelMultipleChoiceField(
        queryset=Language.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Hold Ctrl (or ⌘) to choose several.",
    )

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "affiliation",
            "country",
            "languages",
            "time_zone",
            "expertise",
            "show_in_directory",
            "session_reminders",
        ]
        widgets = {"expertise": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"display_name": "How others see you on the portal."}


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(label='Type "delete my account" to confirm')

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip().lower() != "delete my account":
            raise forms.ValidationError('Type exactly "delete my account".')
        return self.cleaned_data["confirm"]


class PortalSignupForm(SignupForm):
    """allauth's sign-up, doing the same work whether or not the address already has an account.

    A new address costs a password hash (the account is created) and one queued e-mail (the
    verification link); an address that has an account costs one queued e-mail (the "you already
    have an account" notice) and, here, the same password hash, so the answer's timing does not
    tell which addresses have accounts.
    """

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)
