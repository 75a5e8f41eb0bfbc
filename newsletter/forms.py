from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Delivery, Issue, NewsPost


class NewsPostForm(forms.ModelForm):
    published_at = forms.DateTimeField(
        label=_("Publication date"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In your time zone. A future date keeps the post hidden until then."),
    )

    class Meta:
        model = NewsPost
        fields = ["title", "body", "title_fr", "body_fr", "published_at", "is_published"]
        labels = {"body": _("Text"), "is_published": _("Published")}
        help_texts = {"body": _("Markdown: **bold**, *italic*, [a link](https://…), lists. HTML is removed.")}
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("published_at", timezone.now().replace(second=0, microsecond=0))


class IssueForm(forms.ModelForm):
    scheduled_for = forms.DateTimeField(
        label=_("Send on"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In your time zone. Once approved, the issue goes out at this time (at once if it has passed)."),
    )
    items = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Items in this issue"),
        help_text=_("Untick an item to leave it out."),
    )

    class Meta:
        model = Issue
        fields = ["title", "editorial", "title_fr", "editorial_fr", "scheduled_for", "is_public"]
        labels = {"editorial": _("Editorial"), "is_public": _("Public")}
        help_texts = {
            "editorial": _("Markdown: a word from the organizers, shown first."),
            "is_public": _("Everyone can read it in the web archive once sent; otherwise the workshop's members only."),
        }
        widgets = {"editorial": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = self.instance.items.all()
        self.fields["items"].label_from_instance = lambda item: f"{item.get_kind_display()}: {item.title}"
        self.initial["items"] = [item.pk for item in self.instance.items.all() if item.included]


class FeedbackForm(forms.Form):
    item = forms.TypedChoiceField(label=_("About"), coerce=int, required=False, empty_value=None)
    body = forms.CharField(
        label=_("Your feedback"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The organizers read every answer; the chairs of a working group read what is about their group."),
    )
    r = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "The issue as a whole")] + [
            (item.pk, item.title) for item in issue.items.all()
        ]


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(
        label=_("Your name"), max_length=100, required=False, help_text=_("Optional: used to greet you.")
    )


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *Delivery.Status.choices]
    )
    q = forms.CharField(label=_("Address or name"), required=False, max_length=100)
