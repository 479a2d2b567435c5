"""The example app's fixtures, shared by every app's tests (a plugin the root conftest lists):
a project owned by `user`, a member of it, and their clients."""

import pytest
from rest_framework.test import APIClient

from apps.core.tests.clients import new_api_client
from apps.projects.models import Project
from apps.users.models import User
from apps.users.tests.factories import UserFactory

from .factories import ProjectFactory


@pytest.fixture
def project(user: User) -> Project:
    """A project owned by `user` (so `auth_client` is its owner)."""
    return ProjectFactory.create(owner=user, name="Website relaunch")


@pytest.fixture
def member(project: Project) -> User:
    """A member of `project` who is not its owner."""
    member = UserFactory.create(email="member@example.com")
    project.members.add(member)
    return member


@pytest.fixture
def member_client(member: User) -> APIClient:
    return new_api_client(member)


@pytest.fixture
def outsider_client(other_user: User) -> APIClient:
    """Signed in as `other_user`, who is not a member of `project`."""
    return new_api_client(other_user)
