"""Signing up, out and in, in a real browser."""

import pytest
from playwright.sync_api import Page, expect

from apps.users.models import User
from apps.users.tests.factories import DEFAULT_PASSWORD

from .browser import sign_in


@pytest.mark.django_db(transaction=True)
def test_sign_up_sign_out_sign_in(page: Page, accounts_site_url: str) -> None:
    site_url = accounts_site_url
    page.goto(f"{site_url}/accounts/sign-up/")
    page.get_by_label("Email address").fill("ada@example.com")
    page.get_by_label("Password:", exact=True).fill("short")
    page.get_by_label("Password confirmation").fill("short")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("This password is too short.")).to_be_visible()
    assert not User.objects.filter(email="ada@example.com").exists()

    page.get_by_label("Password:", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_label("Password confirmation").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(f"{site_url}/")
    user = User.objects.get(email="ada@example.com")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{site_url}/accounts/sign-in/")
    sign_in(page, site_url, user)
    expect(page.locator(".who")).to_have_text(user.email)
