"""Where the admin is and who reads the API's docs, as the environment says (each read from a
fresh copy of the settings and of the URLs, in this process)."""

import importlib
from typing import Any

import pytest
from django.urls import reverse

from .test_settings import PRODUCTION_ENV, fresh_modules, read_settings


@pytest.mark.parametrize(
    ("module", "env", "expected"),
    [
        ("config.settings.production", PRODUCTION_ENV, "staff /admin/"),
        (
            "config.settings.production",
            {**PRODUCTION_ENV, "API_DOCS": "off", "ADMIN_URL": "/backstage"},
            "off /backstage/",
        ),
        ("config.settings.local", {}, "public /admin/"),
    ],
    ids=["production", "production-configured", "local"],
)
def test_admin_url_and_api_docs_exposure(
    settings: Any, module: str, env: dict[str, str], expected: str
) -> None:
    read = read_settings(module, env)
    # The URLs read ADMIN_URL when imported: a fresh copy of them, under these settings.
    settings.ADMIN_URL = read.ADMIN_URL
    with fresh_modules(read.ROOT_URLCONF):
        urls = importlib.import_module(read.ROOT_URLCONF)
    # A module is as good a URLconf as its dotted path (the stubs only know the path).
    admin = reverse("admin:index", urlconf=urls)  # type: ignore[arg-type]
    assert f"{read.API_DOCS} {admin}" == expected
