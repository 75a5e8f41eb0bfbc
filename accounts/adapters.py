from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext_lazy as _

from bigscience_portal.client_ip import client_ip
from bigscience_portal.mail import queue_message

from . import lockout
from .services import ensure_profile
from .tokens import revoke_all_tokens


class AccountAdapter(DefaultAccountAdapter):
    """The portal's hooks into allauth.

    - creates the profile with the account (instead of a model signal);
    - sends allauth's e-mails through the outbox, like every other e-mail;
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
            ensure_profile(user=user)
        return user

    def send_mail(self, template_prefix, email, context):
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": get_current_site(request), **context},
        )
        html = next(
            (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), ""
        )
        if message.content_subtype == "html":
            html, text = message.body, ""
        else:
            text = message.body
        queue_message(to=email, subject=message.subject, text=text, html=html, headers=dict(message.extra_headers))

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
