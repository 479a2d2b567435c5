"""Production settings guards and the deployment checklist, each in a fresh interpreter
(settings are read once per process)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": "prod-like-" + "k7#Qz!2mVr9@xLp4$Wn8&Yt6^Bc3*Hd5" * 2,
    "ALLOWED_HOSTS": "app.example.com",
    "DATABASE_URL": "sqlite:///:memory:",
}


def run_django(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # Start from the real environment minus anything these tests set, so a developer's
    # exported DATABASE_URL or SECRET_KEY cannot hide a failure.
    unset = {*PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_production_refuses_to_start_without_required_variable(missing: str) -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_django("check", env=env)
    assert result.returncode != 0
    assert "Production settings need these environment variables" in result.stderr
    assert missing in result.stderr


def test_production_names_every_missing_variable_at_once() -> None:
    result = run_django("check", env={})
    assert result.returncode != 0
    assert "SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL" in result.stderr


def test_deployment_checklist_passes_under_production_settings() -> None:
    result = run_django("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_uses_hashed_static_files_and_secure_cookies() -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.STORAGES['staticfiles']['BACKEND'], s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.DEBUG, s.CSRF_TRUSTED_ORIGINS)"
    )
    result = run_django("shell", "--no-imports", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(maxsplit=4) == [
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "True",
        "True",
        "False",
        "['https://app.example.com']\n",
    ]


def test_empty_database_and_cache_urls_mean_the_local_defaults() -> None:
    code = "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'])"
    result = run_django(
        "shell",
        "--no-imports",
        "-c",
        code,
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": "",
            "CACHE_URL": "",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"
