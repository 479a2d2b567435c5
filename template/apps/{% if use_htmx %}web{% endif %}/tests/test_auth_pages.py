from http import HTTPStatus
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from apps.users.models import User
from apps.users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_pages_need_a_signed_in_user(anonymous_client: Client) -> None:
    response = anonymous_client.get(reverse("home"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_sign_in_page_labels_its_fields(anonymous_client: Client) -> None:
    response = anonymous_client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert '<label for="id_username">Email address:</label>' in html
    assert '<label for="id_password">Password:</label>' in html


def test_sign_in_then_out(anonymous_client: Client) -> None:
    user = UserFactory.create()
    response = anonymous_client.post(
        reverse("login"), {"username": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("home")
    assert anonymous_client.session[SESSION_KEY] == str(user.pk)

    response = anonymous_client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert SESSION_KEY not in anonymous_client.session


def test_sign_in_with_a_wrong_password_says_so(anonymous_client: Client) -> None:
    user = UserFactory.create()
    response = anonymous_client.post(reverse("login"), {"username": user.email, "password": "x"})
    assert response.status_code == HTTPStatus.OK
    assert "Please enter a correct email address and password" in response.content.decode()
    assert SESSION_KEY not in anonymous_client.session


def test_repeated_failures_lock_the_sign_in_page_with_a_429_page(
    anonymous_client: Client, settings: Any
) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    user = UserFactory.create()
    wrong = {"username": user.email, "password": "x"}
    assert anonymous_client.post(reverse("login"), wrong).status_code == HTTPStatus.OK
    locked = anonymous_client.post(reverse("login"), wrong)
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert locked["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    assert "<h1>Too many sign-in attempts</h1>" in locked.content.decode()
    assert 'class="site-header"' in locked.content.decode()

    right = {"username": user.email, "password": DEFAULT_PASSWORD}
    still_locked = anonymous_client.post(reverse("login"), right)
    assert still_locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert SESSION_KEY not in anonymous_client.session


def test_sign_up_creates_the_account_and_signs_in(anonymous_client: Client) -> None:
    data = {
        "email": "new@example.com",
        "password1": DEFAULT_PASSWORD,
        "password2": DEFAULT_PASSWORD,
    }
    response = anonymous_client.post(reverse("sign_up"), data)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("home")
    user = User.objects.get(email="new@example.com")
    assert user.check_password(DEFAULT_PASSWORD)
    assert anonymous_client.session[SESSION_KEY] == str(user.pk)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"email": "new@example.com", "password1": DEFAULT_PASSWORD, "password2": "other"},
         "The two password fields didn"),
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
    response = anonymous_client.post(reverse("sign_up"), data)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert error in response.content.decode()
    assert User.objects.count() == users_before
    assert SESSION_KEY not in anonymous_client.session


def test_sign_up_refuses_a_taken_email_in_any_case(anonymous_client: Client) -> None:
    UserFactory.create(email="taken@example.com")
    data = {"email": "Taken@Example.com", "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD}  # fmt: skip
    response = anonymous_client.post(reverse("sign_up"), data)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "already exists" in response.content.decode()
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1


def test_signed_in_users_skip_the_sign_up_and_sign_in_pages(site_client: Client) -> None:
    assert site_client.get(reverse("sign_up"))["Location"] == reverse("home")
    assert site_client.get(reverse("login"))["Location"] == reverse("home")
