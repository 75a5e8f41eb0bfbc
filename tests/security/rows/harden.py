"""Rows of the hardening work: sign-in with a code sent by e-mail (allauth's login by code)."""

from tests.security.url_table import Row, everyone

ROWS = [
    # visitors ask for a code; signed-in people are sent on, like the sign-in page itself
    Row("account_request_login_code", everyone("→/me/profile/", anonymous=200), kwargs=lambda world: {}),
]
