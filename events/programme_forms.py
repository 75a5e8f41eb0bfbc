"""Forms of the programme: the call, a proposal, a decision, placing, a speaker profile."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import LocalDateTimeField, SpeakersField, _local
from .models import Call, Proposal, Speaker
from .orcid import ORCID_ERROR, normalise_orcid


class CallForm(forms.ModelForm):
    deadline = LocalDateTimeField(label=_("Deadline"), help_text=_("In the event's time zone."))

    class Meta:
        model = Call
        fields = ["accepts_talks", "accepts_posters", "deadline", "text", "is_open"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        if self.instance.pk:
            self.initial["deadline"] = _local(self.instance.deadline, event.zone)
        else:
            self.initial.setdefault("deadline", _local(event.start, event.zone))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("deadline"):
            cleaned["deadline"] = cleaned["deadline"].replace(tzinfo=self.event.zone)
        if not cleaned.get("accepts_talks") and not cleaned.get("accepts_posters"):
            raise forms.ValidationError(_("A call takes talks, posters or both."))
        return cleaned

    def _post_clean(self):
        """The service validates and saves."""


class ProposalForm(forms.ModelForm):
    working_group = forms.ModelChoiceField(queryset=None, label=_("On behalf of"), empty_label=None)
    speakers_text = SpeakersField(
        required=False,
        label=_("Speakers or presenters"),
        help_text=_(
            "One per line: the e-mail address of someone with an account, or “Name, affiliation, e-mail” "
            "for someone without one (the e-mail is optional and never shown)."
        ),
    )

    class Meta:
        model = Proposal
        fields = ["working_group", "kind", "title", "abstract", "speakers_text", "length_minutes", "needs"]
        widgets = {"abstract": forms.Textarea(attrs={"rows": 6}), "needs": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, groups, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = groups
        self.fields["kind"].choices = [(k, label) for k, label in Proposal.Kind.choices if k in call.kinds()]
        if self.instance.pk:
            del self.fields["working_group"]
            self.initial["speakers_text"] = "\n".join(
                speaker.user.email if speaker.user_id else ", ".join(filter(None, [speaker.name, speaker.affiliation]))
                for speaker in self.instance.speakers.select_related("user")
            )

    def _post_clean(self):
        """The service validates and saves."""


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("request_changes", _("Ask for changes")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to decline or ask for changes; the proposers read it."),
    )


class PlaceTalkForm(forms.Form):
    start = LocalDateTimeField(label=_("Starts"))
    room = forms.CharField(label=_("Room"), max_length=100, required=False)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["start"].help_text = _("In the event's time zone, %(zone)s.") % {"zone": event.time_zone}
        self.initial.setdefault("start", _local(event.start, event.zone))

    def clean_start(self):
        value = self.cleaned_data["start"]
        return value.replace(tzinfo=self.event.zone) if value else value


class PlacePosterForm(forms.Form):
    poster_session = forms.ModelChoiceField(queryset=None, label=_("Poster session"), empty_label=None)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["poster_session"].queryset = event.sessions.filter(kind="poster_session").order_by("start")


class SpeakerProfileForm(forms.ModelForm):
    orcid = forms.CharField(
        label=_("ORCID iD"),
        max_length=60,
        required=False,
        help_text=_("e.g. 0000-0002-1825-0097, or its https://orcid.org/ address; the check digit is verified."),
    )

    class Meta:
        model = Speaker
        fields = [
            "name",
            "affiliation",
            "bio",
            "photo_url",
            "website_url",
            "links",
            "orcid",
            "show_affiliation",
            "show_bio",
            "show_photo",
            "show_links",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5}), "links": forms.Textarea(attrs={"rows": 3})}

    def clean_orcid(self):
        value = self.cleaned_data.get("orcid", "").strip()
        if not value:
            return ""
        normalised = normalise_orcid(value)
        if normalised is None:
            raise forms.ValidationError(ORCID_ERROR)
        return normalised

    def _post_clean(self):
        """The service validates and saves."""


class FilterForm(forms.Form):
    """Plain GET filters of the programme page."""

    track = forms.ChoiceField(required=False, label=_("Track"))
    group = forms.ChoiceField(required=False, label=_("Working group"))

    def __init__(self, *args, tracks, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].choices = [("", _("All tracks"))] + [(str(t.pk), t.name) for t in tracks]
        self.fields["group"].choices = [("", _("All groups"))] + [(g.slug, g.name) for g in groups]


class NamedForm(forms.Form):
    """A track or a room: name, colour, order."""

    kind = forms.ChoiceField(choices=[("track", _("Track")), ("room", _("Room"))], widget=forms.HiddenInput)
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=100)
    colour = forms.RegexField(
        label=_("Colour"),
        regex=r"^#[0-9a-fA-F]{6}$",
        initial="#6b7280",
        widget=forms.TextInput(attrs={"type": "color"}),
        error_messages={"invalid": _("A colour as #RRGGBB.")},
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)
