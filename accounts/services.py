"""Sign-in with lockout, sign-up with email verification. Messages are queued in the outbox
(complaints.notifications), so they are written in the database first and delivered by a task.
Nothing here tells a caller whether an email address has an account."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from accounts.models import User
from common.outbox import queue_email

LOCKOUT_THRESHOLD = 5
LOCKOUT_DURATION = dt.timedelta(minutes=15)
VERIFY_SALT = "accounts.verify-email"
VERIFY_MAX_AGE = dt.timedelta(days=3)


@dataclass
class SignInResult:
    user: User | None = None
    locked_until: dt.datetime | None = None
    unverified: bool = False

    @property
    def ok(self) -> bool:
        return self.user is not None and not self.unverified and self.locked_until is None


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def _lock_key(email: str, client: str, stamp: str) -> str:
    """Failed sign-ins are counted per address *and* client, so a stranger's wrong passwords
    lock only the stranger out, never the officer at their own desk. `stamp` is a slice of the
    password hash: a new password starts every count afresh. Addresses without an account are
    counted the same way, so a lockout message reveals nothing."""
    ident = f"{email}|{client}|{stamp}"
    return "login:lock:" + hashlib.sha256(ident.encode()).hexdigest()[:32]


def user_sign_in(
    *, email: str, password: str, client: str = "", now: dt.datetime | None = None
) -> SignInResult:
    """Check an email + password. After LOCKOUT_THRESHOLD failures in a row from one client
    the address is locked for that client for LOCKOUT_DURATION, even for the right password.

    Every answer costs one password hash (known or unknown address, locked or not), so the
    time taken reveals neither whether an address has an account nor whether it is locked."""
    now = now or timezone.now()
    email = normalize_email(email)
    user = User.objects.filter(email__iexact=email).first() if email else None
    key = _lock_key(email, client, user.password[-16:] if user else "")
    state = cache.get(key) or {"count": 0, "locked_until": None}
    outdated: list[str] = []
    if user is None:
        make_password(password)
        matches = False
    else:
        matches = check_password(password, user.password, setter=outdated.append)
    if state["locked_until"] and state["locked_until"] > now:
        return SignInResult(locked_until=state["locked_until"])
    if not matches:
        state["count"] = (0 if state["locked_until"] else state["count"]) + 1
        state["locked_until"] = None
        if state["count"] >= LOCKOUT_THRESHOLD:
            state = {"count": 0, "locked_until": now + LOCKOUT_DURATION}
        cache.set(key, state, int(LOCKOUT_DURATION.total_seconds()) * 4)
        return SignInResult(locked_until=state["locked_until"])
    if state["count"] or state["locked_until"]:
        cache.delete(key)
    if outdated:  # the hasher's parameters changed: store the password with the new ones
        user.set_password(password)
        user.save(update_fields=["password"])
    if not user.is_active:
        if user.email_verified_at is None:
            return SignInResult(user=user, unverified=True)
        return SignInResult()
    return SignInResult(user=user)


def user_is_staff_member(*, user: User) -> bool:
    """Whether the user works in the staff workspace (any membership, or national admin)."""
    if user.is_national_admin or user.is_superuser:
        return True
    return user.memberships.exists()


def _verify_stamp(user: User) -> str:
    """Changes when the address or its verification changes, so a link stops working once
    used or once the address is different; the address itself never appears in the link."""
    verified = user.email_verified_at.isoformat() if user.email_verified_at else ""
    return salted_hmac(VERIFY_SALT, f"{user.pk}|{user.email}|{verified}").hexdigest()[:20]


def verify_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "h": _verify_stamp(user)}, salt=VERIFY_SALT)


def verify_link(user: User) -> str:
    path = reverse("accounts:verify", kwargs={"token": verify_token(user)})
    return settings.ADUAN_PUBLIC_BASE_URL.rstrip("/") + path


def user_register(
    *,
    email: str,
    password: str,
    full_name: str = "",
    language: str = "id",
    now: dt.datetime | None = None,
) -> User | None:
    """Create an inactive account and email a verification link. When the address already has
    an account, email its owner instead (and return None): the caller shows the same page
    either way, so sign-up cannot be used to find out who has an account."""
    now = now or timezone.now()
    email = normalize_email(email)
    stamp = int(now.timestamp())
    with transaction.atomic():
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None:
            # The hash a new account would cost: an existing address answers no faster.
            make_password(password)
            queue_email(
                kind="account_exists",
                cause_key=f"account_exists:{existing.pk}:{stamp}",
                recipient=existing.email,
                recipient_user=existing,
                language=language,
                context={
                    "link": settings.ADUAN_PUBLIC_BASE_URL.rstrip("/") + reverse("accounts:login")
                },
            )
            return None
        user = User.objects.create_user(
            email=email, password=password, full_name=full_name.strip(), is_active=False
        )
        queue_email(
            kind="account_verify",
            cause_key=f"account_verify:{user.pk}:{stamp}",
            recipient=user.email,
            recipient_user=user,
            language=language,
            context={"link": verify_link(user), "user": user},
        )
    return user


def user_verify_email(*, token: str, now: dt.datetime | None = None) -> User | None:
    """Activate the account of a valid verification link; None when the link is broken,
    expired, already used or for an address that has changed."""
    now = now or timezone.now()
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=data.get("u")).first()
        stamp = data.get("h")
        if user is None or not isinstance(stamp, str):
            return None
        if not constant_time_compare(stamp, _verify_stamp(user)):
            return None
        user.email_verified_at = now
        user.is_active = True
        user.save(update_fields=["email_verified_at", "is_active"])
    return user


def user_resend_verification(*, email: str, language: str = "id") -> None:
    """Send the verification link again to an unverified account (silently nothing else)."""
    user = User.objects.filter(
        email__iexact=normalize_email(email), email_verified_at__isnull=True, is_active=False
    ).first()
    if user is None:
        return
    with transaction.atomic():
        queue_email(
            kind="account_verify",
            cause_key=f"account_verify:{user.pk}:{int(timezone.now().timestamp())}",
            recipient=user.email,
            recipient_user=user,
            language=language,
            context={"link": verify_link(user), "user": user},
        )


def password_reset_link(user: User) -> str:
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.ADUAN_PUBLIC_BASE_URL.rstrip("/") + path


def user_password_reset_request(
    *, email: str, language: str = "id", now: dt.datetime | None = None
) -> None:
    """Email a link to choose a new password to the active account with this address; nothing
    for any other address (the caller shows the same page either way). The link works for
    settings.PASSWORD_RESET_TIMEOUT and only once: setting a password invalidates it."""
    now = now or timezone.now()
    user = User.objects.filter(email__iexact=normalize_email(email), is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    with transaction.atomic():
        queue_email(
            kind="password_reset",
            cause_key=f"password_reset:{user.pk}:{int(now.timestamp())}",
            recipient=user.email,
            recipient_user=user,
            language=language,
            context={
                "link": password_reset_link(user),
                "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            },
        )


def password_reset_user(*, uid: str, token: str) -> User | None:
    """The active account a password-reset link was made for, while the link is valid."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


def user_password_reset(*, uid: str, token: str, password: str) -> User | None:
    """Set a new password through a valid link (None when it is not): the link stops working
    and a lockout from earlier failed sign-ins is lifted."""
    with transaction.atomic():
        user = password_reset_user(uid=uid, token=token)
        if user is None:
            return None
        user = User.objects.select_for_update().get(pk=user.pk)
        # Re-checked under the lock: two submissions of one link set the password once.
        if not default_token_generator.check_token(user, token):
            return None
        user.set_password(password)
        user.failed_login_count = 0
        user.locked_until = None
        user.save(update_fields=["password", "failed_login_count", "locked_until"])
    return user
