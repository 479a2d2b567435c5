"""Writes to user accounts that other data depends on. The admin goes through them too."""

from django.db import transaction

from . import signals
from .models import User


def deactivate_user(user: User) -> None:
    """Deactivate `user` and end their access everywhere, in one transaction.

    They can no longer sign in or be signed in (sessions and tokens of an inactive user are
    refused); receivers of signals.user_deactivated end what depended on the account (the
    example app takes them off projects and unassigns their open tasks; live connections
    close once it commits). Calling it again is harmless.
    """
    with transaction.atomic():
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
        signals.user_deactivated.send(sender=User, user=user)
