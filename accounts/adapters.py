from urllib.parse import urlparse

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from .middleware import browser_time_zone
from .services import ensure_profile, start_profile


class PortalSite:
    """The site's name and domain as the settings give them (SITE_NAME, SITE_URL), for allauth's e-mails."""

    def __init__(self):
        self.name = settings.SITE_NAME
        self.domain = urlparse(settings.SITE_URL).netloc or settings.SITE_URL

    def __str__(self):
        return self.domain


class AccountAdapter(DefaultAccountAdapter):
    """Creates the profile with the account (instead of a model signal), named as typed at sign-up."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            name = getattr(form, "cleaned_data", {}).get("name", "")
            if name:
                start_profile(user=user, display_name=name, time_zone=browser_time_zone(request))
            else:
                ensure_profile(user=user)
        return user

    def send_mail(self, template_prefix, email, context):
        # allauth names django.contrib.sites' Site (example.com unless edited): the settings say who we are.
        context = {**context, "current_site": PortalSite(), "site_url": settings.SITE_URL}
        return super().send_mail(template_prefix, email, context)

    def format_email_subject(self, subject):
        return f"[{settings.SITE_NAME}] {subject}"
