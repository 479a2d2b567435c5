"""The account services: the profile, and deactivating an account (through the service, and
through the admin, which uses it)."""

from collections.abc import Iterator
from http import HTTPStatus
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from apps.users import services, signals
from apps.users.models import User

from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deactivations() -> Iterator[list[tuple[User, bool]]]:
    """(user, whether the receiver ran inside a transaction) for each user_deactivated."""
    seen: list[tuple[User, bool]] = []

    def record(sender: object, *, user: User, **kwargs: Any) -> None:
        seen.append((user, connection.in_atomic_block))

    signals.user_deactivated.connect(record, weak=False)
    yield seen
    signals.user_deactivated.disconnect(record)


def test_deactivating_ends_access_inside_the_same_transaction(
    user: User, deactivations: list[tuple[User, bool]]
) -> None:
    services.deactivate_user(user)
    user.refresh_from_db()
    assert not user.is_active
    assert deactivations == [(user, True)]


def test_unticking_active_in_the_admin_goes_through_the_service(
    admin_client: Client, deactivations: list[tuple[User, bool]]
) -> None:
    person = UserFactory.create(email="leaver@example.com")
    response = admin_client.post(
        f"/admin/users/user/{person.pk}/change/",
        {"email": person.email, "first_name": "", "last_name": "", "is_active": ""},
    )
    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert not person.is_active
    assert [user.pk for user, _ in deactivations] == [person.pk]


def test_other_admin_edits_deactivate_no_one(
    admin_client: Client, deactivations: list[tuple[User, bool]]
) -> None:
    person = UserFactory.create(email="stayer@example.com")
    response = admin_client.post(
        f"/admin/users/user/{person.pk}/change/",
        {"email": person.email, "first_name": "Renamed", "last_name": "", "is_active": "on"},
    )
    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    assert deactivations == []


def test_update_profile_changes_the_names_given_and_reads_the_full_name_back() -> None:
    user = UserFactory.create(first_name="Ada", last_name="Byron")
    assert services.update_profile(user, last_name="Lovelace") is user
    assert (user.first_name, user.last_name, user.full_name) == ("Ada", "Lovelace", "Ada Lovelace")
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Ada", "Lovelace")


def test_create_user_saves_new_accounts_only() -> None:
    user = services.create_user(User(email="new@example.com"))
    assert User.objects.get(email="new@example.com") == user
    with pytest.raises(ValueError, match="exists already"):
        services.create_user(user)
