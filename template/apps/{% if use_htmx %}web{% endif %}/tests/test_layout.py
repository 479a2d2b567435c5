import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from apps.users.models import User

pytestmark = pytest.mark.django_db


def test_the_layout_serves_htmx_from_this_site(anonymous_client: Client) -> None:
    html = anonymous_client.get(reverse("account_login")).content.decode()
    # django-htmx's own copies of htmx 2 and its WebSocket extension: no CDN, no Node.js.
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer>' in html
    assert '<script src="/static/django_htmx/ext/hx-ws-2.min.js" defer>' in html
    assert "https://" not in html.split("</head>")[0]
    for path in ("django_htmx/htmx-2.min.js", "django_htmx/ext/hx-ws-2.min.js",
                 "web/site.css", "web/site.js"):  # fmt: skip
        assert finders.find(path), path


def test_htmx_swaps_form_errors_and_sends_the_csrf_token(site_client: Client) -> None:
    html = site_client.get(reverse("home")).content.decode()
    assert '{"code": "422", "swap": true}' in html
    token = site_client.cookies["csrftoken"].value
    assert token
    assert 'hx-headers=\'{"X-CSRFToken": ' in html


def test_the_layout_is_accessible(site_client: Client, user: User) -> None:
    html = site_client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert 'role="status" aria-live="polite"' in html
    assert user.email in html
