"""The signed-in caller's profile: ``/api/v1/me/profile/``. Validated by the profile page's form."""

from django.conf import settings
from django.urls import path
from django.utils.datastructures import MultiValueDict
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from bigscience_portal.api import VerifiedForWrites

from . import services
from .forms import ProfileForm
from .models import TIME_ZONE_CHOICES, Profile


class ProfileSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    country = serializers.CharField(help_text="ISO 3166 code, e.g. FR; empty when not given.")
    languages = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="ISO 639 codes of the languages spoken."
    )

    class Meta:
        model = Profile
        fields = [
            "email",
            "display_name",
            "affiliation",
            "country",
            "languages",
            "time_zone",
            "language",
            "expertise",
            "show_in_directory",
        ]


class ProfileUpdateSerializer(serializers.Serializer):
    """The fields a caller may change; omitted ones keep their value."""

    display_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    affiliation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    country = serializers.CharField(required=False, allow_blank=True, help_text="ISO 3166 code, e.g. FR.")
    languages = serializers.ListField(child=serializers.CharField(), required=False, help_text="ISO 639 codes.")
    time_zone = serializers.ChoiceField(choices=TIME_ZONE_CHOICES, required=False)
    language = serializers.ChoiceField(
        choices=[("", "(the browser's)"), *settings.LANGUAGES],
        required=False,
        allow_blank=True,
        help_text="The language of the portal and of the e-mails; empty: the browser's, English for e-mails.",
    )
    expertise = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    show_in_directory = serializers.BooleanField(required=False)
    session_reminders = serializers.BooleanField(
        required=False, help_text="An e-mail an hour before each session in the person's agenda."
    )
    application_digest = serializers.BooleanField(
        required=False, help_text="Chairs and organizers: one daily e-mail of new applications instead of one each."
    )


CHECKBOXES = ("show_in_directory", "session_reminders", "application_digest")


def _form_data(profile: Profile, changes: dict) -> MultiValueDict:
    """The profile form's data: the current values, overridden by the request's."""
    data = MultiValueDict(
        {
            "display_name": [profile.display_name],
            "affiliation": [profile.affiliation],
            "country": [str(profile.country or "")],
            "time_zone": [profile.time_zone],
            "language": [profile.language],
            "expertise": [profile.expertise],
            "languages": [lang.code for lang in profile.languages.all()],
        }
    )
    # Ticked boxes are sent as "on", unticked ones not at all: a box the request leaves out keeps its value.
    for name in CHECKBOXES:
        if changes.get(name, getattr(profile, name)):
            data[name] = "on"
    for name, value in changes.items():
        if name == "languages":
            data.setlist("languages", list(value))
        elif name not in CHECKBOXES:
            data[name] = value
    return data


class ProfileView(APIView):
    """The caller's own profile (what working groups see when they apply; the e-mail stays private)."""

    permission_classes = [permissions.IsAuthenticated, VerifiedForWrites]

    def _profile(self):
        services.ensure_profile(user=self.request.user)
        return Profile.objects.select_related("user").prefetch_related("languages").get(user=self.request.user)

    @extend_schema(summary="Your profile", responses=ProfileSerializer)
    def get(self, request):
        return Response(ProfileSerializer(self._profile()).data)

    @extend_schema(summary="Change your profile", request=ProfileUpdateSerializer, responses=ProfileSerializer)
    def patch(self, request):
        incoming = ProfileUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        profile = self._profile()
        form = ProfileForm(_form_data(profile, incoming.validated_data), instance=profile)
        if not form.is_valid():
            raise ValidationError(
                {name: [e["message"] for e in errors] for name, errors in form.errors.get_json_data().items()}
            )
        data = {k: v for k, v in form.cleaned_data.items() if k != "languages"}
        services.update_profile(user=request.user, data=data, languages=form.cleaned_data["languages"])
        return Response(ProfileSerializer(self._profile()).data)


ROUTES = []
URLS = [path("me/profile/", ProfileView.as_view(), name="api-me-profile")]
