from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from .models import Language, Profile


class ProfileForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Language of the portal"),
        choices=[("", _("As my browser or the header's switcher says")), *settings.LANGUAGES],
        required=False,
        help_text=_("The language of the pages and of the e-mails you receive."),
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages"),
        queryset=Language.objects.all(),
        required=False,
        widget=forms.SelectMultiple(
            # The picker's words come from here, in the page's language (static/js/multiselect.js).
            attrs={
                "size": 8,
                "data-multiselect": "",
                "data-filter-placeholder": _("Type a language's name"),
                "data-choices-label": _("Options to tick"),
                "data-chosen-label": _("Chosen:"),
                "data-none-label": _("None chosen yet."),
            }
        ),
        help_text=_("Type to find a language, then tick each one you speak. (Without script: hold Ctrl or ⌘.)"),
    )

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "affiliation",
            "country",
            "languages",
            "time_zone",
            "language",
            "expertise",
            "show_in_directory",
            "session_reminders",
            "application_digest",
        ]
        widgets = {"expertise": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"display_name": _("How others see you on the portal.")}


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(label=_('Type "delete my account" to confirm'))

    def clean_confirm(self):
        # The phrase in the page's language, or in English whatever the page speaks.
        if self.cleaned_data["confirm"].strip().lower() not in {"delete my account", str(_("delete my account"))}:
            raise forms.ValidationError(_('Type exactly "delete my account".'))
        return self.cleaned_data["confirm"]


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form (ACCOUNT_FORMS["signup"]), asking first for the name others will see."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        help_text=_("How others see you on the portal; you can change it later in your profile."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["name", "email"])

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Tell us the name to show to others."))
        return name

    def try_save(self, request):
        # The same work whether or not the address already has an account: a new address costs a password
        # hash (the account is created) and one queued e-mail (the verification link); an address that has an
        # account costs one queued e-mail (the "you already have an account" notice) and, here, the same
        # password hash, so the answer's timing does not tell which addresses have accounts.
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)
