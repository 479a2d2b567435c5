"""Accounts on the site (django-allauth): sign-up, sign-in and out, email verification, password
reset and change, and the limits on guessing passwords."""

import re
from http import HTTPStatus
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from apps.users.models import User
from apps.users.tests.factories import DEFAULT_PASSWORD, UserFactory
from apps.users.tests.spies import record_created_users

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase"


def sign_in(client: Client, email: str, password: str = DEFAULT_PASSWORD) -> Any:
    return client.post(reverse("account_login"), {"login": email, "password": password})


def sign_up(client: Client, email: str, password: str = DEFAULT_PASSWORD, **extra: str) -> Any:
    data = {"email": email, "password1": password, "password2": password, **extra}
    return client.post(reverse("account_signup"), data)


def link_in_last_email(path_prefix: str) -> str:
    """The path of the link the last email carries (absolute, to the site that sent it)."""
    match = re.search(rf"http://testserver({re.escape(path_prefix)}\S+)", str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return match.group(1)


def signed_in_as(client: Client) -> str | None:
    return client.session.get(SESSION_KEY)


@pytest.fixture
def optional_verification(settings: Any) -> None:
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"


@pytest.fixture
def mandatory_verification(settings: Any) -> None:
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"


def test_pages_need_a_signed_in_user(anonymous_client: Client) -> None:
    response = anonymous_client.get(reverse("home"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{reverse('account_login')}?next=/"


def test_the_sign_in_page_is_the_sites(anonymous_client: Client, settings: Any) -> None:
    response = anonymous_client.get(reverse("account_login"))
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert 'class="site-header"' in html
    assert re.search(rf"<title>\s*Sign In\s*· {re.escape(settings.SITE_NAME)}</title>", html)
    assert '<label for="id_login">Email:</label>' in html
    assert '<label for="id_password">Password:</label>' in html
    assert f'href="{reverse("account_signup")}"' in html
    assert f'href="{reverse("account_reset_password")}"' in html


@pytest.mark.usefixtures("optional_verification")
def test_sign_in_then_out(anonymous_client: Client) -> None:
    user = UserFactory.create()
    response = sign_in(anonymous_client, user.email.upper())
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("home")
    assert signed_in_as(anonymous_client) == str(user.pk)

    response = anonymous_client.post(reverse("account_logout"))
    assert response["Location"] == reverse("account_login")
    assert signed_in_as(anonymous_client) is None


def test_sign_in_with_a_wrong_password_says_so(anonymous_client: Client) -> None:
    user = UserFactory.create()
    response = sign_in(anonymous_client, user.email, "wrong guess")
    assert response.status_code == HTTPStatus.OK
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )
    assert signed_in_as(anonymous_client) is None


def test_allauths_rate_limit_stops_guessing_one_accounts_password(
    anonymous_client: Client, settings: Any
) -> None:
    settings.AXES_FAILURE_LIMIT = 100  # allauth's limit alone: 5 failures per account
    user = UserFactory.create()
    for _ in range(5):
        sign_in(anonymous_client, user.email, "wrong guess")
    response = sign_in(anonymous_client, user.email)
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert signed_in_as(anonymous_client) is None
    # Other accounts are not limited.
    assert sign_in(anonymous_client, UserFactory.create().email).status_code == HTTPStatus.FOUND


def test_repeated_failures_lock_the_sign_in_page_with_a_429_page(
    anonymous_client: Client, settings: Any
) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    user = UserFactory.create()
    assert sign_in(anonymous_client, user.email, "x").status_code == HTTPStatus.OK
    locked = sign_in(anonymous_client, user.email, "x")
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert locked["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    assert "<h1>Too many sign-in attempts</h1>" in locked.content.decode()
    assert 'class="site-header"' in locked.content.decode()

    still_locked = sign_in(anonymous_client, user.email)
    assert still_locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert signed_in_as(anonymous_client) is None


@pytest.mark.usefixtures("optional_verification")
def test_sign_up_signs_in_and_sends_the_confirmation_link(
    anonymous_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = record_created_users(monkeypatch)
    response = sign_up(anonymous_client, "New@Example.com")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("home")
    user = User.objects.get(email__iexact="new@example.com")
    assert created == [user.email]  # through the users service, as every new account
    assert user.check_password(DEFAULT_PASSWORD)
    assert signed_in_as(anonymous_client) == str(user.pk)
    assert mail.outbox[-1].to == [user.email]

    confirm = link_in_last_email("/accounts/confirm-email/")
    assert anonymous_client.post(confirm).status_code == HTTPStatus.FOUND
    assert EmailAddress.objects.get(user=user).verified


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"email": "new@example.com", "password1": DEFAULT_PASSWORD, "password2": "other"},
         "You must type the same password each time."),
        ({"email": "new@example.com", "password1": "123", "password2": "123"},
         "This password is too short"),
        ({"email": "not-an-email", "password1": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD},
         "Enter a valid email address."),
    ],
    ids=["mismatch", "weak-password", "bad-email"],
)  # fmt: skip
def test_sign_up_with_bad_input_shows_errors_and_creates_nobody(
    anonymous_client: Client, data: dict[str, str], error: str
) -> None:
    users_before = User.objects.count()
    response = anonymous_client.post(reverse("account_signup"), data)
    assert response.status_code == HTTPStatus.OK
    assert error in response.content.decode()
    assert User.objects.count() == users_before
    assert signed_in_as(anonymous_client) is None


@pytest.mark.usefixtures("mandatory_verification")
def test_sign_up_with_a_taken_email_tells_its_owner_not_the_visitor(
    anonymous_client: Client,
) -> None:
    UserFactory.create(email="taken@example.com")
    response = sign_up(anonymous_client, "Taken@Example.com")
    # The same answer as for a new address: nobody learns which addresses have accounts.
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
    assert signed_in_as(anonymous_client) is None
    assert mail.outbox[-1].to == ["taken@example.com"]
    assert "already" in str(mail.outbox[-1].body)


@pytest.mark.usefixtures("optional_verification")
def test_sign_up_with_a_taken_email_in_any_case_says_so_without_verification(
    anonymous_client: Client,
) -> None:
    # Without mandatory verification a new account signs in at once, so the form must say.
    UserFactory.create(email="taken@example.com")
    response = sign_up(anonymous_client, "Taken@Example.com")
    assert "A user is already registered with this email address." in response.content.decode()
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1


def test_signed_in_users_skip_the_sign_up_and_sign_in_pages(site_client: Client) -> None:
    assert site_client.get(reverse("account_signup"))["Location"] == reverse("home")
    assert site_client.get(reverse("account_login"))["Location"] == reverse("home")


@pytest.mark.usefixtures("mandatory_verification")
def test_mandatory_verification_signs_in_from_the_emailed_link_only(
    anonymous_client: Client,
) -> None:
    response = sign_up(anonymous_client, "ada@example.com")
    assert response["Location"] == reverse("account_email_verification_sent")
    assert signed_in_as(anonymous_client) is None
    user = User.objects.get(email="ada@example.com")

    # Signing in waits for the confirmation, from this browser or any other.
    elsewhere = Client()
    response = sign_in(elsewhere, "ada@example.com")
    assert response["Location"] == reverse("account_email_verification_sent")
    assert signed_in_as(elsewhere) is None

    confirm = link_in_last_email("/accounts/confirm-email/")
    page = anonymous_client.get(confirm)
    assert page.status_code == HTTPStatus.OK
    assert "ada@example.com" in page.content.decode()
    response = anonymous_client.post(confirm)
    assert response.status_code == HTTPStatus.FOUND
    assert signed_in_as(anonymous_client) == str(user.pk)

    # Confirmed: signing in works everywhere.
    assert sign_in(Client(), "ada@example.com")["Location"] == reverse("home")


@pytest.mark.usefixtures("mandatory_verification")
def test_an_account_made_elsewhere_confirms_its_address_at_its_first_sign_in(
    anonymous_client: Client,
) -> None:
    user = UserFactory.create()  # as by createsuperuser or the admin: no address on record
    response = sign_in(anonymous_client, user.email)
    assert response["Location"] == reverse("account_email_verification_sent")
    assert signed_in_as(anonymous_client) is None
    assert mail.outbox[-1].to == [user.email]

    response = anonymous_client.post(link_in_last_email("/accounts/confirm-email/"))
    assert signed_in_as(anonymous_client) == str(user.pk)


@pytest.mark.usefixtures("optional_verification")
def test_password_reset_by_the_emailed_link(anonymous_client: Client) -> None:
    user = UserFactory.create()
    response = anonymous_client.post(reverse("account_reset_password"), {"email": user.email})
    assert response["Location"] == reverse("account_reset_password_done")
    assert mail.outbox[-1].to == [user.email]

    link = link_in_last_email("/accounts/password/reset/key/")
    form_url = anonymous_client.get(link)["Location"]  # the key moves to the session
    response = anonymous_client.post(
        form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("account_reset_password_from_key_done")

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert sign_in(Client(), user.email, DEFAULT_PASSWORD).status_code == HTTPStatus.OK
    assert sign_in(Client(), user.email, NEW_PASSWORD)["Location"] == reverse("home")
    # The link worked once.
    assert "invalid" in anonymous_client.get(link, follow=True).content.decode().lower()


def test_a_password_reset_for_an_unknown_address_looks_the_same(
    anonymous_client: Client,
) -> None:
    response = anonymous_client.post(
        reverse("account_reset_password"), {"email": "nobody@example.com"}
    )
    assert response["Location"] == reverse("account_reset_password_done")


@pytest.mark.usefixtures("optional_verification")
def test_password_change(anonymous_client: Client) -> None:
    user = UserFactory.create()
    sign_in(anonymous_client, user.email)
    url = reverse("account_change_password")
    wrong = {"oldpassword": "not it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    refused = anonymous_client.post(url, wrong)
    assert "Please type your current password." in refused.content.decode()

    right = {**wrong, "oldpassword": DEFAULT_PASSWORD}
    assert anonymous_client.post(url, right)["Location"] == url
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # Still signed in here after the change.
    assert anonymous_client.get(reverse("home")).status_code == HTTPStatus.OK
