"""The OpenAPI schema's additions: the personal-token security scheme and the error responses."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from .api import ErrorSerializer, ValidationErrorSerializer


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "bigscience_portal.api.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token created on /me/tokens/ (the prefix “Token” is accepted too).",
        }


# --- Schema ---------------------------------------------------------------------------------

_ERRORS = {
    "400": (ValidationErrorSerializer, "The input is invalid; `fields` says why."),
    "401": (ErrorSerializer, "Not signed in, or the token is invalid or revoked."),
    "403": (ErrorSerializer, "Signed in, but not allowed to do this (or the CSRF token is missing)."),
    "404": (ErrorSerializer, "No such object, or one the caller may not see; or a page past the end."),
    "409": (
        ErrorSerializer,
        "Refused by the current state: a duplicate application, a closed registration, the last chair…",
    ),
    "429": (ErrorSerializer, "Too many requests: wait the number of seconds in Retry-After."),
}


class PortalAutoSchema(AutoSchema):
    """Adds the error responses every operation can give, so the schema describes them all."""

    def _error_codes(self) -> set[str]:
        """Any call can fail authentication or be throttled; reads are never refused, only hidden (404)."""
        codes = {"401", "429"}
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            codes |= {"400", "403", "404", "409"}
        if self._is_list_view():
            codes |= {"400", "404"}  # a bad filter; a page past the end
        if "{" in self.path:
            codes.add("404")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes() - set(responses):
            serializer, description = _ERRORS[code]
            responses[code] = self._get_response_for_code(
                OpenApiResponse(response=serializer, description=description), code
            )
        return dict(sorted(responses.items()))
