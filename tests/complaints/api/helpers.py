"""API test helpers: a client holding a user's fresh API token."""

from __future__ import annotations

from rest_framework.test import APIClient

from accounts.models import User
from accounts.tokens import api_token_create


def token_client(user: User, *, language: str = "en") -> APIClient:
    _token, plain = api_token_create(user=user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}", HTTP_ACCEPT_LANGUAGE=language)
    return client
