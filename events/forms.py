"""Forms for organizers; times are typed in the event's own time zone and stored in UTC."""

import zoneinfo
from datetime import UTC

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MinValueValidator, validate_email
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from working_groups.models import WorkingGroup

from .models import Event, HostEvent, Poster, Session, Speaker

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time with no zone; the form attaches the event's zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)

    def to_python(self, value):
        with timezone.override(UTC):
            result = super().to_python(value)
        return result.replace(tzinfo=None) if result else result


def _at_least_one_place(field) -> None:
    field.validators.append(MinValueValidator(1, "At least one place; leave it empty for no limit."))
    field.widget.attrs["min"] = 1


def _local(moment, zone):
    return moment.astimezone(zone).replace(tzinfo=None) if moment else moment


class ZonedTimesMixin:
    """Shows the instance's times in ``zone`` and turns the typed times into aware datetimes."""

    zoned_fields: tuple = ("start", "end")

    def _show_in_zone(self, zone):
        for name in self.zoned_fields:
            value = getattr(self.instance, name, None)
            if value:
                self.initial[name] = _local(value, zone)

    def _attach_zone(self, cleaned, zone):
        for name in self.zoned_fields:
            if cleaned.get(name):
                cleaned[name] = cleaned[name].replace(tzinfo=zone)
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] <= cleaned["start"]:
            self.add_error("end", _("The end must be after the start."))
        return cleaned


class EventForm(ZonedTimesMixin, forms.ModelForm):
    zoned_fields = ("start", "end", "registration_deadline")
    start = LocalDateTimeField(help_text=_("In the event's time zone."))
    end = LocalDateTimeField(help_text=_("In the event's time zone."))
    registration_deadline = LocalDateTimeField(
        required=False, help_text=_("In the event's time zone; empty: registration closes when the event starts.")
    )
    slug = forms.SlugField(
        max_length=120,
        required=False,
        help_text=_("The event's address: letters, digits and hyphens. Empty: made from the title."),
    )
    working_groups = forms.ModelMultipleChoiceField(
        WorkingGroup.objects.order_by("name"),
        required=False,
        help_text=_("Their members see the event in their personal calendar."),
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "slug",
            "description",
            "time_zone",
            "start",
            "end",
            "stream_url",
            "place",
            "colocated_with",
            "registration_open",
            "capacity",
            "registration_deadline",
            "recording_url",
            "working_groups",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _at_least_one_place(self.fields["capacity"])
        if self.instance.pk:
            self._show_in_zone(self.instance.zone)
            self.initial["working_groups"] = list(self.instance.working_groups.values_list("pk", flat=True))

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or slugify(self.data.get("title", ""))[:100] or "event"
        taken = Event.objects.exclude(pk=self.instance.pk).filter(slug=slug).exists()
        if taken and self.cleaned_data.get("slug"):
            raise forms.ValidationError(_("Another event already uses this address."))
        if taken:
            slug = f"{slug}-{Event.objects.filter(slug__startswith=slug).count() + 1}"
        return slug

    def clean(self):
        cleaned = super().clean()
        try:
            zone = zoneinfo.ZoneInfo(cleaned.get("time_zone") or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = UTC
        return self._attach_zone(cleaned, zone)

    def _post_clean(self):
        """The service validates the model and saves; the form only checks its fields."""


class SpeakersField(forms.CharField):
    """One person per line: "Name", "Name, affiliation" or an account's e-mail address."""

    widget = forms.Textarea(attrs={"rows": 3})

    def clean(self, value):
        value = super().clean(value)
        people = []
        users = get_user_model().objects.select_related("profile")
        for line in filter(None, (line.strip() for line in (value or "").splitlines())):
            if "@" in line and " " not in line:
                user = users.filter(email__iexact=line).first()
                if user is None:
                    raise forms.ValidationError(_("No account has the e-mail address %(line)s.") % {"line": line})
                people.append(
                    {
                        "name": user.display_name,
                        "affiliation": getattr(getattr(user, "profile", None), "affiliation", ""),
                        "user": user,
                    }
                )
            else:
                parts = [part.strip() for part in line.split(",")]
                email = parts.pop() if len(parts) > 1 and "@" in parts[-1] and " " not in parts[-1] else ""
                if email:
                    try:
                        validate_email(email)
                    except forms.ValidationError:
                        raise forms.ValidationError(
                            _("“%(email)s” is not an e-mail address.") % {"email": email}
                        ) from None
                person = {"name": parts[0], "affiliation": ", ".join(parts[1:]), "user": None}
                if email:
                    person["email"] = email
                people.append(person)
        return people


class SessionForm(ZonedTimesMixin, forms.ModelForm):
    start = LocalDateTimeField()
    end = LocalDateTimeField()
    room = forms.CharField(
        label=_("Room"), max_length=100, required=False, help_text=_("A room of the event; a new name adds a room.")
    )
    working_groups = forms.ModelMultipleChoiceField(
        WorkingGroup.objects.order_by("name"),
        required=False,
        label=_("Working groups"),
        help_text=_("The groups whose work this session shows."),
    )
    speakers = forms.ModelMultipleChoiceField(
        Speaker.objects.order_by("name"), required=False, help_text=_("People already known to the portal.")
    )
    new_speakers = SpeakersField(
        required=False,
        label=_("More speakers"),
        help_text=_("One per line: “Name, affiliation”, or the e-mail address of someone with an account."),
    )

    class Meta:
        model = Session
        fields = [
            "kind",
            "title",
            "abstract",
            "start",
            "end",
            "room",
            "track",
            "working_groups",
            "speakers",
            "new_speakers",
            "stream_url",
            "slides_url",
            "recording_url",
            "capacity",
        ]
        widgets = {"abstract": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"capacity": _("Only for sessions people register for separately, such as round tables.")}

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        _at_least_one_place(self.fields["capacity"])
        zone = event.zone
        self.fields["start"].help_text = self.fields["end"].help_text = f"In the event's time zone, {event.time_zone}."
        self.fields["track"].queryset = event.tracks.all() if event.pk else self.fields["track"].queryset.none()
        if self.instance.pk:
            self._show_in_zone(zone)
            self.initial["speakers"] = list(self.instance.speakers.values_list("pk", flat=True))
            self.initial["room"] = self.instance.room.name if self.instance.room else ""
            self.initial["working_groups"] = list(self.instance.working_groups.values_list("pk", flat=True))
        else:
            self.initial.setdefault("start", _local(event.start, zone))
            self.initial.setdefault("end", _local(event.end, zone))

    def clean(self):
        return self._attach_zone(super().clean(), self.event.zone)

    def _post_clean(self):
        """The service validates the model and saves."""


class PosterForm(forms.ModelForm):
    presenters = SpeakersField(
        required=False, help_text=_("One per line: “Name, affiliation”, or an account's e-mail address.")
    )

    class Meta:
        model = Poster
        fields = ["title", "abstract", "presenters"]
        widgets = {"abstract": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        """The service validates and saves."""


class MessageForm(forms.Form):
    subject = forms.CharField(max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}))
    include_waiting = forms.BooleanField(required=False, label=_("Also write to the people on the waiting list"))


class HostEventForm(forms.ModelForm):
    class Meta:
        model = HostEvent
        fields = ["name", "start", "end", "place", "url"]
        widgets = {"start": forms.DateInput(attrs={"type": "date"}), "end": forms.DateInput(attrs={"type": "date"})}
