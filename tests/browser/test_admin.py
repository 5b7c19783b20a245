import re

from django.contrib import admin
from django.utils import translation
from playwright.sync_api import Page, expect


def test_admin_login_page_renders(page: Page):
    # given the browser asks for Bahasa Indonesia
    with translation.override("id"):
        site_title = str(admin.site.site_title)

    # when an anonymous visitor opens the admin
    page.goto("/admin/login/")

    # then the admin sign-in form is shown
    expect(page).to_have_title(re.compile(re.escape(site_title)))
    expect(page.locator("input[name=username]")).to_be_visible()
    expect(page.locator("input[name=password]")).to_be_visible()


def test_superuser_signs_in_to_admin(page: Page, django_user_model):
    # given a superuser (email is the USERNAME_FIELD; the admin form field is still "username")
    django_user_model.objects.create_superuser(
        email="admin@example.org", password="correct-horse-battery"
    )

    # when they sign in through the admin form
    page.goto("/admin/login/")
    page.fill("input[name=username]", "admin@example.org")
    page.fill("input[name=password]", "correct-horse-battery")
    page.locator("input[type=submit]").click()

    # then the admin index is shown
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("#user-tools")).to_be_visible()
