"""Email verification by environment: sign-in waits for the confirmation link in production,
not on a developer's machine; ACCOUNT_EMAIL_VERIFICATION overrides both."""

import pytest

from config.tests.test_settings import PRODUCTION_ENV, read_settings


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
    env = {**PRODUCTION_ENV, "ACCOUNT_EMAIL_VERIFICATION": variable}
    read = read_settings(settings_module, env)
    assert expected == read.ACCOUNT_EMAIL_VERIFICATION
