"""JWT lifecycle: refresh tokens rotate and work once; a password change revokes every token."""

from http import HTTPStatus

import pytest
from rest_framework.test import APIClient

from apps.users.models import User

from .factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
ME = "/api/v1/users/me/"


def obtain_pair(api_client: APIClient, user: User) -> dict[str, str]:
    response = api_client.post(TOKEN, {"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == HTTPStatus.OK, response.json()
    tokens: dict[str, str] = response.json()
    return tokens


def get_me(api_client: APIClient, access: str) -> int:
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    try:
        return api_client.get(ME).status_code
    finally:
        api_client.credentials()


def test_a_refresh_answers_a_new_refresh_token_that_works(
    api_client: APIClient, user: User
) -> None:
    first = obtain_pair(api_client, user)
    rotated = api_client.post(REFRESH, {"refresh": first["refresh"]})
    assert rotated.status_code == HTTPStatus.OK
    second = rotated.json()
    assert second["refresh"] != first["refresh"]
    assert get_me(api_client, second["access"]) == HTTPStatus.OK
    assert api_client.post(REFRESH, {"refresh": second["refresh"]}).status_code == HTTPStatus.OK


def test_a_rotated_refresh_token_cannot_be_used_again(api_client: APIClient, user: User) -> None:
    first = obtain_pair(api_client, user)
    assert api_client.post(REFRESH, {"refresh": first["refresh"]}).status_code == HTTPStatus.OK
    reused = api_client.post(REFRESH, {"refresh": first["refresh"]})
    assert reused.status_code == HTTPStatus.UNAUTHORIZED
    assert reused.json()["errors"][0]["code"] == "token_not_valid"


def test_a_password_change_revokes_access_and_refresh_tokens(
    api_client: APIClient, user: User
) -> None:
    tokens = obtain_pair(api_client, user)
    assert get_me(api_client, tokens["access"]) == HTTPStatus.OK

    user.set_password("a-brand-new-passphrase")
    user.save()

    assert get_me(api_client, tokens["access"]) == HTTPStatus.UNAUTHORIZED
    refused = api_client.post(REFRESH, {"refresh": tokens["refresh"]})
    assert refused.status_code == HTTPStatus.UNAUTHORIZED
    assert "password_changed" in refused.content.decode()
    # Signing in with the new password works as before.
    response = api_client.post(TOKEN, {"email": user.email, "password": "a-brand-new-passphrase"})
    assert response.status_code == HTTPStatus.OK
    assert get_me(api_client, response.json()["access"]) == HTTPStatus.OK


def test_a_deleted_accounts_refresh_token_is_a_401(api_client: APIClient, user: User) -> None:
    tokens = obtain_pair(api_client, user)
    user.delete()
    response = api_client.post(REFRESH, {"refresh": tokens["refresh"]})
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert "user_not_found" in response.content.decode()


def test_signing_in_for_tokens_updates_last_login(api_client: APIClient, user: User) -> None:
    assert user.last_login is None
    obtain_pair(api_client, user)
    user.refresh_from_db()
    assert user.last_login is not None
