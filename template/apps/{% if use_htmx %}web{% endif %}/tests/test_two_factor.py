"""Two-factor authentication (django-allauth's allauth.mfa): an authenticator app (TOTP), and
recovery codes that each work once."""

import re
from http import HTTPStatus
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from apps.users.models import User
from apps.users.tests.factories import DEFAULT_PASSWORD, UserFactory

from .test_accounts import sign_in, signed_in_as
from .two_factor import enable_two_factor, totp_code, verify_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(settings: Any) -> User:
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    return UserFactory.create()


def open_with_password(client: Client, url: str) -> Any:
    """Opens a page that asks for the password again first (allauth's reauthentication)."""
    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    back = client.post(response["Location"], {"password": DEFAULT_PASSWORD})
    assert back["Location"] == url
    return client.get(url)


def test_turning_on_two_factor_from_the_site(anonymous_client: Client, account: User) -> None:
    verify_email(account)
    sign_in(anonymous_client, account.email)
    activate = reverse("mfa_activate_totp")
    page = open_with_password(anonymous_client, activate)
    assert page.status_code == HTTPStatus.OK
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code, allowed by the CSP
    assert 'class="site-header"' in html
    secret = page.context["form"].secret

    wrong = anonymous_client.post(activate, {"code": "000000"})
    assert "Incorrect code." in wrong.content.decode()
    response = anonymous_client.post(activate, {"code": totp_code(secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=account, type=Authenticator.Type.TOTP).exists()
    # The recovery codes are shown next.
    codes = anonymous_client.get(reverse("mfa_view_recovery_codes"))
    assert len(codes.context["unused_codes"]) == 10


def test_two_factor_needs_a_confirmed_email_address(
    anonymous_client: Client, account: User
) -> None:
    EmailAddress.objects.create(user=account, email=account.email, primary=True)
    sign_in(anonymous_client, account.email)
    response = anonymous_client.get(reverse("mfa_activate_totp"), follow=True)
    assert "until you have verified your email address" in response.content.decode()
    assert not Authenticator.objects.filter(user=account).exists()


def test_signing_in_asks_for_the_code(anonymous_client: Client, account: User) -> None:
    secret, _ = enable_two_factor(account)
    response = sign_in(anonymous_client, account.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_as(anonymous_client) is None  # the password alone is not enough
    page = anonymous_client.get(reverse("mfa_authenticate"))
    assert 'autocomplete="one-time-code"' in page.content.decode()

    wrong = anonymous_client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "Incorrect code." in wrong.content.decode()
    assert signed_in_as(anonymous_client) is None

    response = anonymous_client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response["Location"] == reverse("home")
    assert signed_in_as(anonymous_client) == str(account.pk)


def test_a_recovery_code_signs_in_once(account: User) -> None:
    _, recovery_codes = enable_two_factor(account)
    first = Client()
    sign_in(first, account.email)
    response = first.post(reverse("mfa_authenticate"), {"code": recovery_codes[0]})
    assert response["Location"] == reverse("home")
    assert signed_in_as(first) == str(account.pk)

    again = Client()
    sign_in(again, account.email)
    response = again.post(reverse("mfa_authenticate"), {"code": recovery_codes[0]})
    assert "Incorrect code." in response.content.decode()
    assert signed_in_as(again) is None
    response = again.post(reverse("mfa_authenticate"), {"code": recovery_codes[1]})
    assert signed_in_as(again) == str(account.pk)


def test_a_code_works_once(account: User) -> None:
    secret, _ = enable_two_factor(account)
    code = totp_code(secret)
    first, second = Client(), Client()
    for client in (first, second):
        sign_in(client, account.email)
    first.post(reverse("mfa_authenticate"), {"code": code})
    second.post(reverse("mfa_authenticate"), {"code": code})
    assert signed_in_as(first) == str(account.pk)
    assert signed_in_as(second) is None


def test_the_account_pages_link_each_other(anonymous_client: Client, account: User) -> None:
    sign_in(anonymous_client, account.email)
    html = anonymous_client.get(reverse("mfa_index")).content.decode()
    nav = re.search(r'<nav class="account-nav".*?</nav>', html, re.S)
    assert nav
    for name in ("account_email", "account_change_password", "mfa_index"):
        assert f'href="{reverse(name)}"' in nav.group(0)
