from http import HTTPStatus

import pytest
from django.test import Client

from apps.users.models import User

from .factories import UserFactory
from .spies import record_created_users

pytestmark = pytest.mark.django_db


def test_changelist_search_and_add_pages_load(admin_client: Client) -> None:
    UserFactory.create_batch(3, last_name="Lovelace")
    assert admin_client.get("/admin/users/user/").status_code == HTTPStatus.OK
    response = admin_client.get("/admin/users/user/", {"q": "Lovelace"})
    assert response.status_code == HTTPStatus.OK
    assert response.context["cl"].result_count == 3
    assert admin_client.get("/admin/users/user/add/").status_code == HTTPStatus.OK


def test_admin_creates_a_user_by_email(
    admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = record_created_users(monkeypatch)
    response = admin_client.post(
        "/admin/users/user/add/",
        {
            "email": "new.person@example.com",
            "usable_password": "true",
            "password1": "a-long-unusual-pass-42",
            "password2": "a-long-unusual-pass-42",
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    assert User.objects.get(email="new.person@example.com").check_password("a-long-unusual-pass-42")
    assert created == ["new.person@example.com"]  # through the users service
