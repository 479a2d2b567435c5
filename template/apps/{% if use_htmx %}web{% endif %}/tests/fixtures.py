"""Fixtures for tests of pages (a pytest plugin, listed in the root conftest.py)."""

import pytest
from django.test import Client

from apps.users.models import User

#: What htmx adds to each of its requests.
HTMX_HEADERS = {"HX-Request": "true"}


@pytest.fixture
def site_client(user: User) -> Client:
    """A browser-like client (session, CSRF cookie) signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def anonymous_client() -> Client:
    return Client()
