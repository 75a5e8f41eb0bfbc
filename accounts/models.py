import zoneinfo

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

TIME_ZONE_CHOICES = [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account; logs in with an e-mail address."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.display_name

    @cached_property
    def display_name(self) -> str:
        """The name shown to others; never the e-mail address."""
        profile = getattr(self, "profile", None)
        if profile and profile.display_name:
            return profile.display_name
        return f"Member #{self.pk}"


class Language(models.Model):
    """A language a person speaks (ISO 639 code)."""

    code = models.CharField(max_length=8, primary_key=True)
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Profile(models.Model):
    """What a person tells the workshop about themselves."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    languages = models.ManyToManyField(Language, blank=True, related_name="speakers", verbose_name=_("languages"))
    time_zone = models.CharField(_("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="UTC")
    # Blank: the header's switcher, else the browser's. E-mails go out in it, English when blank.
    # A code of settings.LANGUAGES (checked by the form and the service, not by choices, so adding a
    # language needs no migration).
    language = models.CharField(
        _("language of the portal"),
        max_length=8,
        blank=True,
        help_text=_("The language of the pages and of the e-mails you receive."),
    )
    expertise = models.TextField(
        _("expertise"), blank=True, max_length=2000, help_text=_("Research interests and skills, a few lines.")
    )
    show_in_directory = models.BooleanField(
        _("show in directory"),
        default=False,
        help_text=_("Show my name, affiliation and country on public pages of the groups I belong to."),
    )
    session_reminders = models.BooleanField(
        _("session reminders"),
        default=False,
        help_text=_("E-mail me a reminder an hour before each session I starred."),
    )
    application_digest = models.BooleanField(
        _("daily digest of applications"),
        default=False,
        help_text=_(
            "For chairs: one e-mail a day listing the applications waiting for you, "
            "instead of one e-mail per application."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Profile of {self.user_id}"

    @property
    def email_language(self) -> str:
        """The language this person's e-mails are written in: the chosen one, else English."""
        return self.language or settings.LANGUAGE_CODE

    def missing_fields(self) -> list[str]:
        """What an application needs that this profile lacks (languages need a saved profile)."""
        missing = []
        if not self.display_name:
            missing.append(_("display name"))
        if not self.affiliation:
            missing.append(_("affiliation"))
        if not self.country:
            missing.append(_("country"))
        if not self.pk or not self.languages.exists():
            missing.append(_("languages spoken"))
        return missing


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest is stored: the token is shown once, at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text=_("What the token is for, e.g. “forum bot”."))
    prefix = models.CharField(max_length=16, help_text=_("The token's first characters, to recognise it."))
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
