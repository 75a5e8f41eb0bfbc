from django import forms

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
