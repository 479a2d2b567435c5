"""The site, the admin and Swagger UI in a real browser under the Content-Security-Policy:
they load and work, and no page reports a violation (browser.py fails any test that sees one)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from apps.users.models import User

from .browser import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_site_pages_work_under_the_csp(page: Page, site_url: str, user: User) -> None:
    sign_in(page, site_url, user)
    sections = page.get_by_role("navigation", name="Sections").get_by_role("link")
    for href in [link.get_attribute("href") for link in sections.all()]:
        page.goto(f"{site_url}{href}")
        expect(page.locator("main h1")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.goto(f"{site_url}{reverse('account_signup')}")
    expect(page.get_by_role("button", name="Sign up")).to_be_visible()


def test_the_admin_works_under_the_csp(page: Page, site_url: str, user: User) -> None:
    user.is_staff = user.is_superuser = True
    user.save()
    sign_in(page, site_url, user)
    page.goto(f"{site_url}{reverse('admin:index')}")
    expect(page.locator("#site-name")).to_be_visible()

    page.goto(f"{site_url}{reverse('admin:users_user_changelist')}")
    expect(page.get_by_role("link", name=user.email)).to_be_visible()
    page.get_by_role("link", name=user.email).click()
    # The change form and its scripts: the "Groups" selector is built by SelectFilter2.js.
    expect(page.locator("#id_groups_filter")).to_be_visible()


def test_swagger_ui_works_under_the_csp(page: Page, site_url: str, user: User) -> None:
    sign_in(page, site_url, user)
    page.goto(f"{site_url}{reverse('api-docs')}")
    # Swagger UI's script ran and rendered the schema's operations.
    operation = page.locator(".opblock-patch", has_text="/api/v1/users/me/")
    expect(operation).to_be_visible()

    # "Try it out" with the session: a PATCH carries the CSRF token Swagger UI's script was
    # given by the server, as the cookie is out of JavaScript's reach.
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.locator("textarea.body-param__text").fill('{"first_name": "Ada"}')
    operation.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table .response .response-col_status")
    expect(status).to_have_text("200")
    user.refresh_from_db()
    assert user.first_name == "Ada"
