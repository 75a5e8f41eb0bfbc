from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from working_groups.models import WorkingGroup

from . import orcid, taxonomy
from .models import Output
from .services import OUTPUT_FIELDS, clean_affiliations


class RoleChoices(forms.MultipleChoiceField):
    """The 14 CRediT roles as checkboxes, each with its meaning."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("CRediT roles"))
        super().__init__(choices=taxonomy.CHOICES, widget=forms.CheckboxSelectMultiple, **kwargs)


class AffiliationsField(forms.CharField):
    """One affiliation per line, in order."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Affiliations"))
        kwargs.setdefault("help_text", _("One per line, in the order to print."))
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def clean(self, value):
        return clean_affiliations(str(super().clean(value) or "").splitlines())


class OutputForm(forms.ModelForm):
    repository_url = forms.URLField(assume_scheme="https", required=False, label=_("Repository"))
    page_url = forms.URLField(assume_scheme="https", required=False, label=_("Model or dataset page"))
    working_groups = forms.ModelMultipleChoiceField(
        queryset=WorkingGroup.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Working groups"),
        help_text=_("The groups whose work this is; their chairs may edit it."),
    )

    class Meta:
        model = Output
        # The two URLs are declared above (https by default); the services take every field by name.
        fields = [name for name in OUTPUT_FIELDS if not name.endswith("_url")]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "work_started": forms.DateInput(attrs={"type": "date"}),
            "work_ended": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "work_started": _("With the end, who was a member of the groups then is proposed as a contributor."),
        }

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_groups"].queryset = groups if groups is not None else WorkingGroup.objects.all()
        self.fields["arxiv_id"].label = _("arXiv identifier")  # not capitalised: the name is arXiv
        self.order_fields(FIELD_ORDER)
        if self.instance.pk:
            self.initial.setdefault("working_groups", list(self.instance.working_groups.all()))

    def clean(self):
        data = super().clean()
        start, end = data.get("work_started"), data.get("work_ended")
        if start and end and start > end:
            self.add_error("work_ended", _("The work cannot end before it started."))
        return data


FIELD_ORDER = [
    "kind",
    "title",
    "working_groups",
    "description",
    "status",
    "date",
    "venue",
    "doi",
    "arxiv_id",
    "repository_url",
    "page_url",
    "work_started",
    "work_ended",
    "is_public",
]


class PickForm(forms.Form):
    """The chairs' choice among the proposed people, and the roles to give them."""

    people = forms.MultipleChoiceField(
        choices=(), widget=forms.CheckboxSelectMultiple, label=_("People to add"), required=True
    )
    roles = RoleChoices(label=_("CRediT roles for the people picked"))

    def __init__(self, *args, proposals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [(str(p.user.pk), p.name) for p in proposals if not p.already]


class ContributorForm(forms.Form):
    email = forms.EmailField(
        required=False,
        label=_("E-mail address of their account"),
        help_text=_("If they have an account on the portal: they will be asked to confirm."),
    )
    name = forms.CharField(
        required=False, max_length=200, label=_("Name"), help_text=_("As it should appear; needed without an account.")
    )
    affiliations = AffiliationsField()
    roles = RoleChoices()
    working_group = forms.ModelChoiceField(
        queryset=WorkingGroup.objects.none(), required=False, label=_("Contributed through")
    )
    equal_contribution = forms.BooleanField(required=False, label=_("Equal contribution"))
    corresponding = forms.BooleanField(required=False, label=_("Corresponding author"))

    def __init__(self, *args, output, editing=False, confirmed=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = output.working_groups.all()
        if editing:
            del self.fields["email"]
        if confirmed:
            # Once the person confirmed, their name and affiliations are theirs to change.
            del self.fields["name"]
            del self.fields["affiliations"]

    def clean(self):
        data = super().clean()
        if "email" in self.fields and not data.get("email") and not data.get("name"):
            raise ValidationError(_("Give the e-mail address of their account, or their name."))
        if "email" not in self.fields and "name" in self.fields and not data.get("name"):
            self.add_error("name", _("A name is needed."))
        return data


class ConfirmForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Name as it should appear"))
    affiliations = AffiliationsField()
    orcid = forms.CharField(
        required=False,
        max_length=60,
        label=_("ORCID iD"),
        help_text=_("Like 0000-0002-1825-0097; optional."),
    )
    listed = forms.BooleanField(
        required=False, label=_("List me as a contributor"), help_text=_("Untick to be left out of every list.")
    )

    def clean_orcid(self):
        value = self.cleaned_data["orcid"].strip()
        return orcid.normalize(value) if value else ""


class CreditSettingsForm(forms.Form):
    public = forms.BooleanField(
        required=False,
        label=_("Show my credits publicly"),
        help_text=_("Anyone with the link sees the outputs you are listed on."),
    )
