"""Personal API tokens: create (shown once), authenticate (by digest), revoke.

A token is ``bsp_`` followed by 43 random URL-safe characters. Only its SHA-256 digest is
stored; a fast hash is enough because the token has 256 bits of entropy, and it lets the
lookup be one indexed query.
"""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activity.services import record

from .models import ApiToken, User

TOKEN_PREFIX = "bsp_"  # noqa: S105 - a marker that makes leaked tokens easy to scan for, not a secret
MAX_TOKENS_PER_USER = 20
# last_used_at is written at most once a minute per token, so busy scripts do not write on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def tokens_for(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user))


@transaction.atomic
def create_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a named token for the user; returns the row and the raw token, which is never stored.

    Raises ValidationError for an empty name or when the user already has the maximum number of tokens.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the token a name, so you recognise it later."})
    User.objects.select_for_update().filter(pk=user.pk).first()  # one creation at a time per user
    if ApiToken.objects.filter(user=user).count() >= MAX_TOKENS_PER_USER:
        raise ValidationError(
            _("You already have %(MAX_TOKENS_PER_USER)s tokens: revoke one you no longer use first.")
            % {"MAX_TOKENS_PER_USER": MAX_TOKENS_PER_USER}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=raw[: len(TOKEN_PREFIX) + 6], digest=_digest(raw))
    token.full_clean()
    token.save()
    record(actor=user, action="accounts.api_token.created", obj=token, subject=user, note=name)
    return token, raw


def revoke_token(*, user: User, token_id: int) -> bool:
    """Delete one of the user's tokens; another person's token is left alone. Returns whether one was deleted."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
        if token is None:
            return False
        record(actor=user, action="accounts.api_token.revoked", obj=token, subject=user, note=token.name)
        token.delete()
    return True


def authenticate_token(raw: str) -> ApiToken | None:
    """The live token for this raw value (with its active user), or None; records the time of use."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=_digest(raw), user__is_active=True).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def revoke_all_tokens(*, user: User, reason: str) -> int:
    """Delete every token of the user (after a password change or reset: a leaked token must not outlive it).

    Side effects: one activity-log row when tokens were deleted. Returns how many were deleted.
    """
    from activity.services import record

    deleted, _details = ApiToken.objects.filter(user=user).delete()
    if deleted:
        record(
            actor=user,
            action="accounts.token.revoked_all",
            obj=user,
            subject=user,
            note=reason,
            data={"count": deleted},
        )
    return deleted
