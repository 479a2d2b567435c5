"""Brute-force protection (django-axes): failed sign-ins lock the account from any client and
the client for any account, on the API's token endpoint and the admin's login alike."""

from http import HTTPStatus
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from apps.core.tests.scope import HEADERS
from apps.users.models import User

from .factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
LIMIT = 3
ATTACKER = "203.0.113.66"


@pytest.fixture(autouse=True)
def _small_limit(settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = LIMIT


def sign_in(api_client: APIClient, email: str, password: str, address: str) -> Any:
    return api_client.post(TOKEN, {"email": email, "password": password}, REMOTE_ADDR=address)


def fail(api_client: APIClient, email: str, address: str) -> int:
    return int(sign_in(api_client, email, "wrong guess", address).status_code)


def test_failures_from_many_clients_lock_the_account(
    api_client: APIClient, user: User, other_user: User, settings: Any
) -> None:
    addresses = [f"198.51.100.{n}" for n in range(1, LIMIT + 1)]
    statuses = [fail(api_client, user.email, address) for address in addresses]
    assert statuses == [HTTPStatus.UNAUTHORIZED] * (LIMIT - 1) + [HTTPStatus.TOO_MANY_REQUESTS]

    # The right password from yet another client: still locked, in the API's error shape.
    response = sign_in(api_client, user.email, DEFAULT_PASSWORD, "198.51.100.200")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    assert response.json()["errors"][0]["code"] == "throttled"
    assert "access" not in response.json()
    # Other accounts, from those clients, are not locked.
    assert (
        sign_in(api_client, other_user.email, DEFAULT_PASSWORD, addresses[0]).status_code
        == HTTPStatus.OK
    )


def test_failures_for_many_accounts_lock_the_client(
    api_client: APIClient, user: User, other_user: User
) -> None:
    statuses = [fail(api_client, f"guess{n}@example.com", ATTACKER) for n in range(LIMIT)]
    assert statuses == [HTTPStatus.UNAUTHORIZED] * (LIMIT - 1) + [HTTPStatus.TOO_MANY_REQUESTS]

    assert (
        sign_in(api_client, user.email, DEFAULT_PASSWORD, ATTACKER).status_code
        == HTTPStatus.TOO_MANY_REQUESTS
    )
    # The same accounts from elsewhere are not locked.
    assert (
        sign_in(api_client, user.email, DEFAULT_PASSWORD, "198.51.100.7").status_code
        == HTTPStatus.OK
    )


def test_an_email_in_another_case_is_the_same_account(api_client: APIClient, user: User) -> None:
    spellings = [user.email.upper(), user.email.capitalize(), user.email]
    for n, email in enumerate(spellings):
        fail(api_client, email, f"198.51.100.{n + 1}")
    assert (
        sign_in(api_client, user.email, DEFAULT_PASSWORD, "198.51.100.99").status_code
        == HTTPStatus.TOO_MANY_REQUESTS
    )


def test_a_successful_sign_in_forgets_the_accounts_failures(
    api_client: APIClient, user: User
) -> None:
    for n in range(LIMIT - 1):
        fail(api_client, user.email, f"198.51.100.{n + 1}")
    assert (
        sign_in(api_client, user.email, DEFAULT_PASSWORD, "198.51.100.50").status_code
        == HTTPStatus.OK
    )

    for n in range(LIMIT - 1):
        fail(api_client, user.email, f"192.0.2.{n + 1}")
    assert (
        sign_in(api_client, user.email, DEFAULT_PASSWORD, "192.0.2.50").status_code == HTTPStatus.OK
    )


def test_signing_in_to_ones_own_account_does_not_reset_the_clients_failures(
    api_client: APIClient, user: User, other_user: User
) -> None:
    for n in range(LIMIT - 1):
        fail(api_client, f"victim{n}@example.com", ATTACKER)
    assert (
        sign_in(api_client, other_user.email, DEFAULT_PASSWORD, ATTACKER).status_code
        == HTTPStatus.OK
    )
    assert fail(api_client, "victim@example.com", ATTACKER) == HTTPStatus.TOO_MANY_REQUESTS
    assert (
        sign_in(api_client, user.email, DEFAULT_PASSWORD, ATTACKER).status_code
        == HTTPStatus.TOO_MANY_REQUESTS
    )


def test_a_lockout_ends_after_the_cool_off(
    api_client: APIClient, user: User, settings: Any
) -> None:
    for _ in range(LIMIT):
        fail(api_client, user.email, ATTACKER)
    assert (
        sign_in(api_client, user.email, DEFAULT_PASSWORD, ATTACKER).status_code
        == HTTPStatus.TOO_MANY_REQUESTS
    )

    # The failures were recorded one cool-off ago.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME)
    assert sign_in(api_client, user.email, DEFAULT_PASSWORD, ATTACKER).status_code == HTTPStatus.OK


def test_attempts_during_a_lockout_do_not_extend_it(
    api_client: APIClient, user: User, settings: Any
) -> None:
    for _ in range(LIMIT):
        fail(api_client, user.email, ATTACKER)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME / 2)
    assert fail(api_client, user.email, ATTACKER) == HTTPStatus.TOO_MANY_REQUESTS

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME / 2)
    assert sign_in(api_client, user.email, DEFAULT_PASSWORD, ATTACKER).status_code == HTTPStatus.OK


@pytest.mark.parametrize("run", ["first", "second"])
def test_no_lockout_outlives_its_test(api_client: APIClient, user: User, run: str) -> None:
    # Each run starts unlocked (the other run's failures are gone), then locks itself out.
    assert sign_in(api_client, user.email, DEFAULT_PASSWORD, ATTACKER).status_code == HTTPStatus.OK
    for _ in range(LIMIT):
        fail(api_client, user.email, ATTACKER)
    assert (
        sign_in(api_client, user.email, DEFAULT_PASSWORD, ATTACKER).status_code
        == HTTPStatus.TOO_MANY_REQUESTS
    )


def test_the_admin_login_locks_out_with_a_429_page(settings: Any) -> None:
    staff = UserFactory.create(is_staff=True)
    client = Client(headers=HEADERS)
    login = reverse("admin:login")
    for _ in range(LIMIT - 1):
        response = client.post(login, {"username": staff.email, "password": "wrong guess"})
        assert response.status_code == HTTPStatus.OK  # the form again, with its error

    locked = client.post(login, {"username": staff.email, "password": "wrong guess"})
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert locked["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    assert "Too many sign-in attempts" in locked.content.decode()
    right = {"username": staff.email, "password": DEFAULT_PASSWORD}
    assert client.post(login, right).status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "_auth_user_id" not in client.session
