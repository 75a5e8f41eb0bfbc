"""Signed links that work without logging in: unsubscribe, confirm a subscription, answer an issue."""

from django.core import signing

UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
CONFIRM_SALT = "newsletter.confirm"
READER_SALT = "newsletter.reader"
CONFIRM_MAX_AGE = 7 * 24 * 3600


def unsubscribe_token(email: str) -> str:
    """Never expires (an unsubscribe link in an old e-mail must still work) and is the same every time."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(email.lower())


def email_from_unsubscribe_token(token: str) -> str | None:
    try:
        email = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return email if isinstance(email, str) else None


def confirm_token(email: str) -> str:
    return signing.dumps(email.lower(), salt=CONFIRM_SALT)


def email_from_confirm_token(token: str) -> str | None:
    try:
        return signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None


def reader_token(issue_id: int, email: str) -> str:
    """Identifies the recipient of one issue, so the e-mail's link lets them leave feedback."""
    return signing.Signer(salt=READER_SALT).sign_object([issue_id, email.lower()])


def reader_email(token: str | None, issue_id: int) -> str | None:
    if not token:
        return None
    try:
        token_issue, email = signing.Signer(salt=READER_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return email if token_issue == issue_id else None
