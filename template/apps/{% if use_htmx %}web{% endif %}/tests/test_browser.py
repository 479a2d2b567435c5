"""Signing up, out and in, in a real browser, through django-allauth's pages."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from apps.users.models import User
from apps.users.tests.factories import DEFAULT_PASSWORD

from .browser import sign_in
from .two_factor import enable_two_factor, totp_code


@pytest.mark.django_db(transaction=True)
def test_sign_up_sign_out_sign_in(page: Page, accounts_site_url: str, settings: Any) -> None:
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    site_url = accounts_site_url
    page.goto(f"{site_url}/")  # the sign-in page, which offers to sign up
    page.get_by_role("main").get_by_role("link", name="sign up").click()
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password:", exact=True).fill("short")
    page.get_by_label("Password (again)").fill("short")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("This password is too short.")).to_be_visible()
    assert not User.objects.filter(email="ada@example.com").exists()

    page.get_by_label("Password:", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_label("Password (again)").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(f"{site_url}/")
    user = User.objects.get(email="ada@example.com")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{site_url}/accounts/login/")
    sign_in(page, site_url, user)
    expect(page.locator(".who")).to_have_text(user.email)


@pytest.mark.django_db(transaction=True)
def test_signing_in_with_two_factor(page: Page, accounts_site_url: str, user: User) -> None:
    secret, _ = enable_two_factor(user)
    page.goto(f"{accounts_site_url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{accounts_site_url}/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{accounts_site_url}/")
    expect(page.locator(".who")).to_have_text(user.email)
