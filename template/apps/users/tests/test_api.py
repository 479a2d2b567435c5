from http import HTTPStatus

import pytest
from django.http import HttpRequest
from django.test import Client
from rest_framework.test import APIClient

from apps.users.models import User

from .factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

ME = "/api/v1/users/me/"


def test_me_requires_authentication(api_client: APIClient) -> None:
    response = api_client.get(ME)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["type"] == "client_error"
    assert response.json()["errors"][0]["code"] == "not_authenticated"


def test_me_returns_the_signed_in_user(auth_client: APIClient, user: User) -> None:
    response = auth_client.get(ME)
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "id": str(user.id),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "full_name": f"{user.first_name} {user.last_name}",
        "created_at": response.json()["created_at"],
    }


def test_patch_me_updates_names_and_the_generated_full_name(
    auth_client: APIClient, user: User
) -> None:
    response = auth_client.patch(ME, {"first_name": "Ada", "last_name": "Byron"})
    assert response.status_code == HTTPStatus.OK
    assert response.json()["full_name"] == "Ada Byron"
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Ada", "Byron")


def test_patch_me_cannot_change_the_email_or_id(auth_client: APIClient, user: User) -> None:
    email, pk = user.email, user.pk
    response = auth_client.patch(ME, {"email": "new@example.com", "id": "not-a-uuid"})
    assert response.status_code == HTTPStatus.OK
    user.refresh_from_db()
    assert (user.email, user.pk) == (email, pk)


def test_patch_me_validates_input(auth_client: APIClient, user: User) -> None:
    response = auth_client.patch(ME, {"first_name": "x" * 151})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()
    assert body["type"] == "validation_error"
    assert body["errors"][0]["attr"] == "first_name"
    user.refresh_from_db()
    assert user.first_name != "x" * 151


def test_malformed_json_is_a_400_not_a_500(auth_client: APIClient) -> None:
    response = auth_client.generic("PATCH", ME, "{not json", content_type="application/json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errors"][0]["code"] == "parse_error"


def test_put_and_delete_are_not_allowed(auth_client: APIClient) -> None:
    assert auth_client.put(ME, {"first_name": "A"}).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert auth_client.delete(ME).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_session_login_works_for_browsers(client: Client, user: User) -> None:
    # django-axes counts attempts per client, so authenticate() needs a request.
    assert client.login(request=HttpRequest(), email=user.email, password=DEFAULT_PASSWORD)
    assert client.get(ME).json()["id"] == str(user.id)


def test_jwt_pair_authenticates_and_refreshes(api_client: APIClient, user: User) -> None:
    response = api_client.post(
        "/api/v1/auth/token/", {"email": user.email.upper(), "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == HTTPStatus.OK, response.json()
    tokens = response.json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert api_client.get(ME).json()["id"] == str(user.id)

    api_client.credentials()
    refreshed = api_client.post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]})
    assert refreshed.status_code == HTTPStatus.OK
    assert "access" in refreshed.json()


def test_wrong_password_and_forged_token_are_401(api_client: APIClient, user: User) -> None:
    response = api_client.post("/api/v1/auth/token/", {"email": user.email, "password": "nope"})
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not.a.token")
    assert api_client.get(ME).status_code == HTTPStatus.UNAUTHORIZED


def test_inactive_users_cannot_obtain_tokens(api_client: APIClient, user: User) -> None:
    user.is_active = False
    user.save()
    response = api_client.post(
        "/api/v1/auth/token/", {"email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == HTTPStatus.UNAUTHORIZED


def test_password_guessing_is_throttled_with_a_429(
    api_client: APIClient, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rest_framework.throttling import AnonRateThrottle

    rates = {**AnonRateThrottle.THROTTLE_RATES, "anon": "2/minute"}
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", rates)
    guess = {"email": user.email, "password": "guess"}
    statuses = [api_client.post("/api/v1/auth/token/", guess).status_code for _ in range(3)]
    assert statuses == [
        HTTPStatus.UNAUTHORIZED,
        HTTPStatus.UNAUTHORIZED,
        HTTPStatus.TOO_MANY_REQUESTS,
    ]
    body = api_client.post("/api/v1/auth/token/", guess).json()
    assert body["errors"][0]["code"] == "throttled"


def test_signed_in_users_are_throttled_per_user(
    auth_client: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rest_framework.throttling import UserRateThrottle

    rates = {**UserRateThrottle.THROTTLE_RATES, "user": "3/minute"}
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", rates)
    assert [auth_client.get(ME).status_code for _ in range(4)] == [
        HTTPStatus.OK,
        HTTPStatus.OK,
        HTTPStatus.OK,
        HTTPStatus.TOO_MANY_REQUESTS,
    ]
