"""The reporter revokes signed tracking links: a new access code shuts out the old code, every
link made with it and every other browser let in by either."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from complaints.notifications import tracking_link
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

GENERIC = "Nomor pelacakan dan kode akses tidak cocok dengan laporan mana pun"


def _path(link: str) -> str:
    return link.split("8000", 1)[-1]


def _detail(client, c):
    return client.get(reverse("complaints:track_detail", args=[c.tracking_number]))


def _track(client, number, code):
    return client.post(
        reverse("complaints:track"), {"tracking_number": number, "access_code": code}
    )


def test_a_new_access_code_revokes_old_links_code_and_browsers(agency):
    c = f.complaint(agency)
    old_code, old_link = c.plain_access_code, _path(tracking_link(c))
    reporter, stranger = Client(), Client()
    assert _track(reporter, c.tracking_number, old_code).status_code == 302
    # someone else holds a forwarded email: its link lets them in, for now
    assert stranger.get(old_link).status_code == 302
    assert _detail(stranger, c).status_code == 200

    # the detail page offers the new code; asking shows it once
    url = reverse("complaints:track_new_code", args=[c.tracking_number])
    assert url in _detail(reporter, c).content.decode()
    assert "Buat kode akses baru" in reporter.get(url).content.decode()
    page = reporter.post(url)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    new_code = re.search(r'data-testid="access-code">([A-Z0-9-]+)<', page.content.decode()).group(1)
    assert new_code.replace("-", "") != old_code

    # the reporter's browser stays in; the stranger's is out, and so are the old link and code
    assert _detail(reporter, c).status_code == 200
    assert _detail(stranger, c).status_code == 302
    assert Client().get(old_link).status_code == 404
    assert GENERIC in _track(Client(), c.tracking_number, old_code).content.decode()
    # the new code and links made from now on open the report
    assert _track(Client(), c.tracking_number, new_code).status_code == 302
    c.refresh_from_db()
    assert Client().get(_path(tracking_link(c))).status_code == 302


def test_only_an_authorised_browser_can_make_a_new_code(agency):
    c = f.complaint(agency)
    before = c.access_code_hash
    response = Client().post(reverse("complaints:track_new_code", args=[c.tracking_number]))
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.access_code_hash == before
