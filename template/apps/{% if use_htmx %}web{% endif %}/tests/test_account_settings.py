"""Email verification by environment: sign-in waits for the confirmation link in production,
not on a developer's machine; ACCOUNT_EMAIL_VERIFICATION overrides both."""

import pytest

from config.tests.test_settings import PRODUCTION_ENV, run_django

SHOW = "from django.conf import settings; print(settings.ACCOUNT_EMAIL_VERIFICATION)"


@pytest.mark.parametrize(
    ("settings_module", "variable", "expected"),
    [
        ("config.settings.production", "", "mandatory"),
        ("config.settings.production", "optional", "optional"),
        ("config.settings.local", "", "optional"),
        ("config.settings.local", "mandatory", "mandatory"),
    ],
)
def test_email_verification_by_environment(
    settings_module: str, variable: str, expected: str
) -> None:
    env = {
        **PRODUCTION_ENV,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DJANGO_READ_ENV_FILE": "false",
        "ACCOUNT_EMAIL_VERIFICATION": variable,
    }
    result = run_django("shell", "--no-imports", "-c", SHOW, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
