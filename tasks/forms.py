from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Language
from working_groups.models import WorkingGroup

from .models import Contribution, GroupToken, Skill, Task
from .services import TASK_FIELDS


class TaskForm(forms.ModelForm):
    work_url = forms.URLField(
        label=_("Where the work happens"), assume_scheme="https", help_text=_("The tool, repository or form.")
    )

    class Meta:
        model = Task
        fields = [*TASK_FIELDS, "languages", "skills"]
        widgets = {
            "guidelines": forms.Textarea(attrs={"rows": 10}),
            "how_to_report": forms.Textarea(attrs={"rows": 3}),
            "deadline": forms.DateInput(attrs={"type": "date"}),
            "languages": forms.SelectMultiple(attrs={"size": 8}),
            "skills": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "guidelines": _("Markdown: what to do, step by step, with an example of a good item."),
            "languages": _("Hold Ctrl (or ⌘) to choose several; none for work in any language."),
            "amount_needed": _("How many items, or how many people, the task needs."),
        }


class BoardFilterForm(forms.Form):
    """The board's filters. Language: "" means the signed-in person's languages, "all" every language."""

    language = forms.ChoiceField(label=_("Language"), required=False)
    skill = forms.ModelChoiceField(
        label=_("Skill"), queryset=Skill.objects.all(), required=False, to_field_name="slug", empty_label=_("Any skill")
    )
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("Any level")), *Task.Level.choices])
    group = forms.ModelChoiceField(
        label=_("Working group"),
        queryset=WorkingGroup.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("Any group"),
    )

    def __init__(self, *args, has_languages: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        first = [("", _("My languages"))] if has_languages else []
        self.fields["language"].choices = [
            *first,
            ("all", _("Any language")),
            *Language.objects.values_list("code", "name"),
        ]


class ClaimForm(forms.Form):
    become_attendant = forms.BooleanField(
        label=_("I take part as a Workshop Attendant (free, no review)"), required=False
    )


class ContributionForm(forms.ModelForm):
    link = forms.URLField(
        label=_("Link"),
        required=False,
        assume_scheme="https",
        help_text=_("Where the reviewers can see the work: a pull request, a sheet, a dataset page."),
    )

    class Meta:
        model = Contribution
        fields = ["items", "language", "link", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "items": _("How many items you did since your last report."),
            "link": _("Where the reviewers can see the work: a pull request, a sheet, a dataset page."),
        }

    def __init__(self, *args, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].min_value = 1
        self.fields["items"].widget.attrs["min"] = 1
        languages = list(task.languages.all())
        if languages:
            self.fields["language"].queryset = Language.objects.filter(pk__in=[lang.pk for lang in languages])
        self.fields["language"].empty_label = _("Not language-specific")


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("changes", _("Ask for changes")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the contributor"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed to ask for changes or to reject."),
    )


class ReviewerForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the reviewer"))


class GroupTokenForm(forms.Form):
    name = forms.CharField(label=_("Tool"), max_length=100, help_text=_("Which tool will use the token."))
    action = forms.ChoiceField(label=_("What it may do"), choices=GroupToken.Action.choices)
