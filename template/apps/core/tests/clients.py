"""API clients for tests; every request carries scope.HEADERS."""

from django.http.request import HttpHeaders
from django.test import AsyncClient
from rest_framework.test import APIClient

from apps.users.models import User

from .scope import HEADERS


def new_api_client(user: User | None = None) -> APIClient:
    """An API client, signed in as `user` if given (force_authenticate: no login round trip)."""
    client = APIClient(headers=HEADERS)
    if user is not None:
        client.force_authenticate(user)
    return client


async def new_async_client(user: User | None = None) -> AsyncClient:
    """Django's AsyncClient, signed in as `user` if given (a real session)."""
    # Not `headers=`: AsyncClient keeps those under their WSGI names (HTTP_…) and sends them
    # on as "http-…" headers; defaults under ASGI names arrive as they should.
    client = AsyncClient(**HttpHeaders.to_asgi_names(HEADERS))
    if user is not None:
        await client.aforce_login(user)
    return client
