from django import forms
from django.utils.translation import gettext_lazy as _

from working_groups.models import WorkingGroup

from . import actions


class ActivityFilterForm(forms.Form):
    """Filters of the history pages; the group choice only on the organizers' page."""

    action = forms.ChoiceField(required=False, label=_("Action"))
    person = forms.CharField(required=False, max_length=100, label=_("Person (name or e-mail)"))
    since = forms.DateField(required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    group = forms.ModelChoiceField(
        queryset=WorkingGroup.objects.order_by("name"), required=False, empty_label=_("All groups"), label=_("Group")
    )

    def __init__(self, *args, all_groups: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *actions.choices()]
        if not all_groups:
            del self.fields["group"]

    def clean_person(self):
        # NUL bytes reach PostgreSQL as an error: refuse them here with the other bad input.
        person = self.cleaned_data["person"].strip()
        if "\x00" in person:
            raise forms.ValidationError(_("Enter a name or an e-mail address."))
        return person

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date comes after the end date."))
        return cleaned
