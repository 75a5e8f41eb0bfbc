from urllib.parse import urlparse

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from bigscience_portal.client_ip import client_ip
from bigscience_portal.mail import queue_message

from . import lockout
from .middleware import browser_time_zone
from .services import ensure_profile, start_profile
from .tokens import revoke_all_tokens


class PortalSite:
    """The site's name and domain as the settings give them (SITE_NAME, SITE_URL), for allauth's e-mails."""

    def __init__(self):
        self.name = settings.SITE_NAME
        self.domain = urlparse(settings.SITE_URL).netloc or settings.SITE_URL

    def __str__(self):
        return self.domain


class AccountAdapter(DefaultAccountAdapter):
    """The portal's hooks into allauth.

    - creates the profile with the account (instead of a model signal), named as typed at sign-up;
    - sends allauth's e-mails through the outbox, like every other e-mail, naming the site from the settings;
    - revokes the API tokens when the password is changed, set or reset;
    - counts failed sign-ins per account and address pair, with a growing wait (``accounts.lockout``);
    - takes the client's address from ``bigscience_portal.client_ip`` (trusted proxies only).
    """

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Too many failed login attempts. Wait a little and try again, or sign in with a code "
            "sent to your e-mail address: that works at once."
        ),
    }

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
        from allauth.core import context as allauth_context

        request = allauth_context.request
        # allauth names django.contrib.sites' Site (example.com unless edited): the settings say who we are.
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                **context,
                "current_site": PortalSite(),
                "site_url": settings.SITE_URL,
            },
        )
        html = next(
            (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), ""
        )
        if message.content_subtype == "html":
            html, text = message.body, ""
        else:
            text = message.body
        queue_message(to=email, subject=message.subject, text=text, html=html, headers=dict(message.extra_headers))

    def format_email_subject(self, subject):
        return f"[{settings.SITE_NAME}] {subject}"

    def set_password(self, user, password):
        super().set_password(user, password)
        revoke_all_tokens(user=user, reason="password changed")

    def get_client_ip(self, request):
        return client_ip(request) or super().get_client_ip(request)

    # --- failed sign-ins: per account and address pair ------------------------------------

    @staticmethod
    def _login_of(credentials) -> str:
        return credentials.get("email") or credentials.get("username") or ""

    def pre_authenticate(self, request, **credentials):
        if lockout.wait_seconds(self._login_of(credentials), self.get_client_ip(request)):
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None:
            lockout.clear(self._login_of(credentials), self.get_client_ip(request))
        return user

    def authentication_failed(self, request, **credentials):
        lockout.record_failure(self._login_of(credentials), self.get_client_ip(request))
