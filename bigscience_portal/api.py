"""What every endpoint of the REST API shares: authentication by personal token, the
verified-address permission, errors as JSON, pagination and rate limits.

The endpoints themselves live in each app's ``api.py`` and call that app's services and rules;
``api_urls.py`` puts them under ``/api/v1/``; ``api_schema.py`` documents them. This module is named
in REST_FRAMEWORK settings, so it must not import ``rest_framework.views`` at load time.
"""

import re

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.fields import get_error_detail
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import ApiToken
from accounts.tokens import authenticate_token
from bigscience_portal.client_ip import client_ip

# --- Authentication -------------------------------------------------------------------------


class PersonalTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>`` (or ``Token <token>``) with a token from the settings page."""

    keywords = ("bearer", "token")

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() not in self.keywords:
            return None  # another scheme, or none: the session may still authenticate
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Malformed Authorization header: send “Bearer <token>”.")
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        token = authenticate_token(raw)
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class VerifiedForWrites(BasePermission):
    """Changes need a verified e-mail address, as on the pages (``accounts.write_through_api``)."""

    message = "Verify your e-mail address before making changes."

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or request.user.has_perm("accounts.write_through_api")


# --- Errors ---------------------------------------------------------------------------------


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        for value in detail.values():
            return _first_message(value)
        return ""
    if isinstance(detail, list):
        return _first_message(detail[0]) if detail else ""
    return str(detail)


def _translate(exc):
    """Django's and the database's exceptions, as the API's."""
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(get_error_detail(exc))
        # A service's refusal that names no field is about the state of things, not the input:
        # a duplicate application, a closed registration, the last chair leaving. Input shape is
        # checked by the endpoint's serializer before the service runs.
        return Conflict(" ".join(exc.messages))
    if isinstance(exc, IntegrityError):
        # A constraint caught what the service's checks did not (two requests at once): a conflict.
        return Conflict("This conflicts with a change made at the same time; reload and try again.")
    return exc


def api_exception_handler(exc, context):
    """Every error as ``{"detail": ..., "code": ...}``, plus ``fields`` for invalid input."""
    from rest_framework.views import exception_handler  # here: rest_framework.views reads these settings

    exc = _translate(exc)
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    codes = exc.get_codes()
    body = {"detail": _first_message(exc.detail), "code": _first_message(codes) or exc.default_code}
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body["fields"] = {
            name: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])] for name, msgs in fields.items()
        }
        if list(body["fields"]) != ["non_field_errors"]:
            body["detail"] = "Some fields are invalid: " + ", ".join(body["fields"]) + "."
        body["code"] = "invalid"
    response.data = body
    return response


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, for a person to read.")
    code = serializers.CharField(
        help_text="A stable code: invalid, not_authenticated, permission_denied, not_found, conflict, throttled…"
    )


class ValidationErrorSerializer(ErrorSerializer):
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For invalid input: the messages for each field (non_field_errors for the request as a whole).",
    )


# --- Pagination and rate limits -------------------------------------------------------------


class PortalPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        # Refused rather than silently replaced, so a script learns its mistake.
        if not re.fullmatch(r"[0-9]{1,3}", raw) or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["description"] = f"Results per page (default {self.page_size})."
        return parameters


class TokenRateThrottle(SimpleRateThrottle):
    """Calls made with one personal token."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class UserRateThrottle(SimpleRateThrottle):
    """Calls made by one person, whatever the token or session."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AddressRateThrottle(SimpleRateThrottle):
    """Calls from one network address, signed in or not (X-Forwarded-For only from TRUSTED_PROXIES)."""

    scope = "address"

    def get_ident(self, request):
        return client_ip(request)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
