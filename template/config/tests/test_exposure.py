"""Where the admin is and who reads the API's docs, as the environment says (each in a fresh
interpreter: settings and URLs are read once per process)."""

import pytest

from .test_settings import PRODUCTION_ENV, run_django

SHOW = (
    "from django.conf import settings; from django.urls import reverse; "
    "print(settings.API_DOCS, reverse('admin:index'))"
)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (PRODUCTION_ENV, "staff /admin/"),
        ({**PRODUCTION_ENV, "API_DOCS": "off", "ADMIN_URL": "/backstage"}, "off /backstage/"),
        ({"DJANGO_SETTINGS_MODULE": "config.settings.local"}, "public /admin/"),
    ],
    ids=["production", "production-configured", "local"],
)
def test_admin_url_and_api_docs_exposure(env: dict[str, str], expected: str) -> None:
    result = run_django("shell", "--no-imports", "-c", SHOW, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
