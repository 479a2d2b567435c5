"""Security headers and cookie flags of a page and of an API response, as the test settings
and as the production settings make them (in this process: production's own values of those
settings, computed from the same environment as test_settings.py's)."""

import re
from http import HTTPStatus
from http.cookies import Morsel
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from apps.core.tests.clients import new_api_client
from apps.core.tests.scope import HEADERS
from apps.users.models import User
from apps.users.tests.factories import DEFAULT_PASSWORD, UserFactory

from .test_settings import PRODUCTION_ENV, read_settings

pytestmark = pytest.mark.django_db

#: Production's settings that shape headers and cookies.
HEADER_SETTINGS = re.compile(
    r"^(SECURE_|SESSION_COOKIE_|CSRF_COOKIE_|CONTENT_SECURITY_POLICY|PERMISSIONS_POLICY"
    r"|X_FRAME_OPTIONS$|MIDDLEWARE$)"
)
#: What the TLS-terminating proxy in front of production adds to every request.
THROUGH_TLS_PROXY = {**HEADERS, "X-Forwarded-Proto": "https"}


@pytest.fixture
def production_settings(settings: Any) -> None:
    # Production's own values of those settings, from a fresh copy of its module.
    production = read_settings("config.settings.production", PRODUCTION_ENV)
    for name in filter(HEADER_SETTINGS.match, dir(production)):
        setattr(settings, name, getattr(production, name))


def csp_directives(response: HttpResponse) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";"))}


def assert_security_headers(response: HttpResponse) -> None:
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]  # no nonce: nothing on the page used one
    assert directives["object-src"] == directives["frame-ancestors"] == ["'none'"]
    sources = {source for values in directives.values() for source in values}
    assert not sources & {"'unsafe-inline'", "'unsafe-eval'", "*"}
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def assert_cookie(cookie: Morsel[str], *, secure: bool) -> None:
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert bool(cookie["secure"]) is secure


def sign_in_to_the_admin(client: Client, **headers: str) -> tuple[Any, Any]:
    """The admin's login page, then signing in there: a page, and the response that sets the
    session cookie."""
    staff = UserFactory.create(is_staff=True)
    page = client.get(reverse("admin:login"), headers=headers)
    assert page.status_code == HTTPStatus.OK
    signed_in = client.post(
        reverse("admin:login"),
        {"username": staff.email, "password": DEFAULT_PASSWORD},
        headers=headers,
    )
    assert signed_in.status_code == HTTPStatus.FOUND
    return page, signed_in


def test_a_page_and_an_api_response_carry_the_security_headers(user: User) -> None:
    page, signed_in = sign_in_to_the_admin(Client(headers=HEADERS))
    assert_security_headers(page)
    assert_cookie(page.cookies["csrftoken"], secure=False)
    assert_cookie(signed_in.cookies["sessionid"], secure=False)

    api_response = new_api_client(user).get("/api/v1/users/me/")
    assert api_response.status_code == HTTPStatus.OK
    assert_security_headers(api_response)


@pytest.mark.usefixtures("production_settings")
def test_under_production_settings_responses_are_https_only(user: User) -> None:
    page, signed_in = sign_in_to_the_admin(Client(headers=HEADERS), **THROUGH_TLS_PROXY)
    assert_security_headers(page)
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert_cookie(page.cookies["csrftoken"], secure=True)
    assert_cookie(signed_in.cookies["sessionid"], secure=True)

    api_response = new_api_client(user).get("/api/v1/users/me/", headers=THROUGH_TLS_PROXY)
    assert api_response.status_code == HTTPStatus.OK
    assert_security_headers(api_response)
    assert "Strict-Transport-Security" in api_response

    # Plain HTTP is redirected to HTTPS before anything else happens.
    plain = new_api_client(user).get("/api/v1/users/me/")
    assert plain.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert plain["Location"].startswith("https://")


def test_swagger_uis_inline_style_carries_the_nonce_of_its_policy(api_client: Any) -> None:
    response = api_client.get(reverse("api-docs"))
    nonce = re.search(r"<style nonce=\"([^\"]+)\">", response.content.decode())
    assert nonce is not None
    assert f"'nonce-{nonce[1]}'" in csp_directives(response)["style-src"]
    assert "<script>" not in response.content.decode()  # the script is a file of its own
