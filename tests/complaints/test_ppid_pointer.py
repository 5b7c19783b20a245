"""A formal public-information request under UU KIP has its own PPID procedure (10 + 7 working
days): the kind step points the reporter there, in both languages."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


def test_kind_step_points_to_the_ppid(client):
    html = client.get(reverse("complaints:file_kind")).content.decode()
    assert 'data-testid="ppid-pointer"' in html
    assert "Pejabat Pengelola Informasi dan Dokumentasi" in html
    assert "10 hari kerja" in html
    assert "7 hari kerja" in html
    assert "Komisi Informasi" in html

    client.cookies["django_language"] = "en"
    english = client.get(reverse("complaints:file_kind"), HTTP_ACCEPT_LANGUAGE="en").content
    assert b"within 10 working days, extendable once by 7" in english
