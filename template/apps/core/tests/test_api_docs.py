"""The API's schema and Swagger UI are public, staff-only or off, as API_DOCS says."""

from http import HTTPStatus
from typing import Any

import pytest
from rest_framework.test import APIClient

from apps.core.tests.clients import new_api_client
from apps.users.models import User
from apps.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SCHEMA = "/api/schema/"
DOCS = "/api/docs/"


def test_public_docs_need_no_sign_in(api_client: APIClient, settings: Any) -> None:
    settings.API_DOCS = "public"
    assert api_client.get(SCHEMA).status_code == HTTPStatus.OK
    assert api_client.get(DOCS).status_code == HTTPStatus.OK


def test_staff_docs_are_for_signed_in_staff_only(
    api_client: APIClient, auth_client: APIClient, settings: Any
) -> None:
    settings.API_DOCS = "staff"
    assert api_client.get(SCHEMA).status_code == HTTPStatus.UNAUTHORIZED
    assert api_client.get(DOCS).status_code == HTTPStatus.UNAUTHORIZED
    assert auth_client.get(SCHEMA).status_code == HTTPStatus.FORBIDDEN
    assert auth_client.get(DOCS).status_code == HTTPStatus.FORBIDDEN

    staff = new_api_client(UserFactory.create(is_staff=True))
    assert staff.get(SCHEMA).status_code == HTTPStatus.OK
    assert staff.get(DOCS).status_code == HTTPStatus.OK


def test_docs_that_are_off_are_not_found_even_for_staff(user: User, settings: Any) -> None:
    settings.API_DOCS = "off"
    user.is_staff = True
    user.save()
    staff = new_api_client(user)
    assert staff.get(SCHEMA).status_code == HTTPStatus.NOT_FOUND
    assert staff.get(DOCS).status_code == HTTPStatus.NOT_FOUND


def test_an_unknown_setting_serves_no_docs(api_client: APIClient, settings: Any) -> None:
    settings.API_DOCS = "Public "
    assert api_client.get(SCHEMA).status_code == HTTPStatus.NOT_FOUND
