from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from roles.models import Participation, Role

from . import services
from .models import ProgressUpdate, WorkingGroup


class LinksField(forms.CharField):
    """Links as lines of "Label | https://address"; cleaned into [{"label", "url"}]."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{link.get('label', '')} | {link.get('url', '')}" for link in value)
        return value

    def to_python(self, value):
        links = []
        for number, line in enumerate((value or "").splitlines(), start=1):
            if not line.strip():
                continue
            label, sep, url = line.partition("|")
            label, url = label.strip(), url.strip()
            if not sep or not label or not url.startswith(("https://", "http://")):
                raise ValidationError(_('Line %(number)s: write "Label | https://address".') % {"number": number})
            links.append({"label": label[:80], "url": url[:500]})
        return links


class GroupForm(forms.ModelForm):
    links = LinksField(
        required=False,
        label=_("Links to the group's channels and documents"),
        help_text='One per line: "Label | https://address".',
    )

    class Meta:
        model = WorkingGroup
        fields = list(services.EDITABLE_FIELDS)  # what the service saves, in its order
        labels = {"is_open": _("Open to applications"), "guidelines": _("Guidelines for newcomers")}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "guidelines": forms.Textarea(attrs={"rows": 5}),
        }


class GroupCreateForm(GroupForm):
    slug = forms.SlugField(
        label=_("Address"),
        required=False,
        max_length=50,
        help_text=_("The group's address, /groups/<address>/. Leave it empty to make one from the name."),
    )

    class Meta(GroupForm.Meta):
        fields = ["name", "slug", *GroupForm.Meta.fields[1:]]

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        if slug:
            if WorkingGroup.objects.filter(slug=slug).exists():
                raise ValidationError(_("Another group has this address already."))
            return slug
        return services.unique_group_slug(self.cleaned_data.get("name", ""))


class ProgressUpdateForm(forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}
        labels = {"body": _("What the group did (Markdown)")}


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or affiliation"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("Any role")), (Role.PARTICIPANT, _("Participant")), (Role.CHAIR, _("Chair"))],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Members and waiting list")), *[c for c in Participation.Status.choices if c[0] != "ended"]],
    )
    country = forms.ChoiceField(label=_("Country"), required=False, choices=[("", _("Any country")), *countries])
