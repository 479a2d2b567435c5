"""Two-factor authentication in tests: the codes an authenticator app would show, computed with
django-allauth's own TOTP functions."""

import time

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from apps.users.models import User


def totp_code(secret: str) -> str:
    """The app's code now; never one about to expire, so the server sees the same period."""
    period = app_settings.TOTP_PERIOD
    if period - time.time() % period < 2:
        time.sleep(2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def verify_email(user: User) -> None:
    """allauth turns two-factor on for confirmed addresses only (as after its emailed link)."""
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def enable_two_factor(user: User) -> tuple[str, list[str]]:
    """Turns two-factor authentication on as the site's pages do; answers the authenticator
    app's secret and the recovery codes."""
    verify_email(user)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    recovery_codes = RecoveryCodes.activate(user).get_unused_codes()
    return secret, recovery_codes
