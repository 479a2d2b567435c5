"""Watching the users service from tests: every new account must go through it."""

import pytest

from apps.users import services
from apps.users.models import User


def record_created_users(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The emails of the accounts services.create_user saves from now on, in order."""
    created: list[str] = []
    create_user = services.create_user

    def spy(user: User) -> User:
        created.append(user.email)
        return create_user(user)

    monkeypatch.setattr(services, "create_user", spy)
    return created
