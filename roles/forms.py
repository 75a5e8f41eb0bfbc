from django import forms
from django.utils.translation import gettext_lazy as _

from working_groups.models import WorkingGroup

from .models import Role


class ApplicationForm(forms.Form):
    """Apply for a role: the working group where the role needs one, and a short motivation."""

    working_group = forms.ModelChoiceField(
        queryset=WorkingGroup.objects.none(),
        label=_("Working group"),
        empty_label=_("Choose a working group"),
        help_text=_("Only groups open to applications are listed."),
    )
    motivation = forms.CharField(
        label=_("Your motivation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        required=False,
        help_text=_("A few lines: what you would like to do, and what you bring. Up to 2000 characters."),
    )

    def __init__(self, *args, role: Role, **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role
        if role.needs_working_group:
            self.fields["working_group"].queryset = WorkingGroup.objects.filter(is_open=True).order_by("name")
        else:
            del self.fields["working_group"]
        if role.reviewed_by == Role.Reviewer.NOBODY:
            del self.fields["motivation"]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])
    note = forms.CharField(
        label=_("Note to the applicant"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Sent with the decision; recommended when you decline."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The member receives it by e-mail, and it is kept in the group's history."),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address to invite"), help_text=_("They can join even without an account yet.")
    )


class AppointChairForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the new chair's account"))
    note = forms.CharField(label=_("Note for the history"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        # Shown on the same page as InviteForm, which has an "email" too: ids must differ.
        kwargs.setdefault("auto_id", "id_appoint_%s")
        super().__init__(*args, **kwargs)
