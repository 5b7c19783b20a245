"""Services of the personal and machine-account API tokens: make (shown once), revoke, and
authenticate (records the last use). Only a SHA-256 digest of each token is stored; the token
carries 256 random bits, so a plain digest (no slow hash) cannot be guessed back."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ApiToken, User
from common.exceptions import ApplicationError, NotFound

TOKEN_PREFIX = "adn_"  # noqa: S105 - a public marker, not a secret
DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 366
LIFETIME_CHOICES = (30, 90, 180, 365)
# The last use is written at most this often per token, so that a busy client does not turn
# every read into a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def token_digest(plain: str) -> str:
    return hashlib.sha256(plain.encode("utf-8", "surrogateescape")).hexdigest()


def api_token_create(
    *, user: User, name: str, days: int = DEFAULT_LIFETIME_DAYS, now: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with the plain token, which is never stored."""
    now = now or timezone.now()
    name = name.strip()
    if not name:
        raise ApplicationError(_("Give the token a name."))
    if not 1 <= days <= MAX_LIFETIME_DAYS:
        raise ApplicationError(_("A token lasts from 1 to %(n)s days.") % {"n": MAX_LIFETIME_DAYS})
    if not user.is_active:
        raise ApplicationError(_("The account is not active."))
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=plain[: len(TOKEN_PREFIX) + 6],
        digest=token_digest(plain),
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    return token, plain


def api_token_revoke(*, token_id: int, actor: User, now: dt.datetime | None = None) -> ApiToken:
    """Revoke one of the actor's tokens (a national admin or superuser may revoke any)."""
    now = now or timezone.now()
    with transaction.atomic():
        qs = ApiToken.objects.select_for_update()
        if not (actor.is_superuser or actor.is_national_admin):
            qs = qs.filter(user=actor)
        try:
            token = qs.get(pk=token_id)
        except ApiToken.DoesNotExist as exc:
            raise NotFound(_("Token not found.")) from exc
        if token.revoked_at is None:
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(plain: str, *, now: dt.datetime | None = None) -> ApiToken | None:
    """The live token (with its user) for a presented secret, or None. Records the last use."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 100:
        return None
    now = now or timezone.now()
    try:
        token = ApiToken.objects.select_related("user").get(digest=token_digest(plain))
    except ApiToken.DoesNotExist:
        return None
    if not token.is_live(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
        # A conditional update: concurrent requests of one client write once.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")
