"""Absolute links that messages carry (tracking, follow, unfollow)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from complaints.access import follow_confirm_token, tracking_link_token
from complaints.models import Complaint


def tracking_link(complaint: Complaint) -> str:
    path = reverse("complaints:track_signed", kwargs={"token": tracking_link_token(complaint)})
    return settings.ADUAN_PUBLIC_BASE_URL.rstrip("/") + path


def absolute_url(path: str) -> str:
    return settings.ADUAN_PUBLIC_BASE_URL.rstrip("/") + path


def follow_confirm_link(token: str) -> str:
    return absolute_url(
        reverse("complaints:follow_confirm", kwargs={"signed": follow_confirm_token(token)})
    )


def follower_link(token: str) -> str:
    return absolute_url(reverse("complaints:follow_page", kwargs={"token": token}))


def unfollow_link(token: str) -> str:
    return absolute_url(reverse("complaints:follow_stop", kwargs={"token": token}))
