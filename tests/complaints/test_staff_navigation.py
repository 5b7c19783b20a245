"""Navigation of the staff workspace by role: the focal pages for focal roles (and back), the
walk-in entry only for the roles that can use it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints.models import Role
from tests import factories as f
from tests.complaints.staff_world import client_for

pytestmark = pytest.mark.django_db


def test_staff_nav_links_focal_pages_for_focal_roles_only(world):
    focal_html = client_for(world.focal).get(reverse("staff:home")).content.decode()
    assert f'href="{reverse("focal:board")}"' in focal_html
    assert "Pemantauan focal point" in focal_html
    officer_html = client_for(world.officer).get(reverse("staff:home")).content.decode()
    assert "Pemantauan focal point" not in officer_html


def test_focal_pages_have_sign_out_and_a_link_back_to_the_staff_workspace(world):
    html = client_for(world.focal).get(reverse("focal:board")).content.decode()
    header = html.split('<nav class="header-nav"', 1)[1].split("</nav>", 1)[0]
    assert f'action="{reverse("accounts:logout")}"' in header
    assert "Keluar" in header
    assert f'href="{reverse("staff:home")}"' in header
    assert "Ruang kerja petugas" in header


@pytest.mark.parametrize("who", ["officer", "coordinator"])
def test_walk_in_entry_is_not_offered_to_roles_that_cannot_use_it(world, who):
    user = world.officer if who == "officer" else f.staff(world.agency, Role.COORDINATOR)
    client = client_for(user)
    html = client.get(reverse("staff:home")).content.decode()
    assert reverse("staff:new") not in html
    assert client.get(reverse("staff:new")).status_code == 404
    # the verifier of the agency has both the link and the page
    verifier = client_for(world.verifier)
    assert reverse("staff:new") in verifier.get(reverse("staff:home")).content.decode()
    assert verifier.get(reverse("staff:new")).status_code == 200
