"""Every write to user accounts: creating one, the profile, deactivation. The API, the admin
and every other way in go through them."""

from django.db import transaction

from . import signals
from .models import User


def create_user(user: User) -> User:
    """Save `user`, a new account built by a form that checked it (the admin's add form, or a
    sign-up page), so that every account starts here; returns it."""
    if not user._state.adding:
        raise ValueError("create_user() saves new accounts; this one exists already.")
    user.save()
    return user


def update_profile(
    user: User, *, first_name: str | None = None, last_name: str | None = None
) -> User:
    """Change the names given (None leaves one as it is); returns `user` with its full_name,
    which the database computes, read back."""
    changes = {"first_name": first_name, "last_name": last_name}
    fields = [name for name, value in changes.items() if value is not None]
    for name in fields:
        setattr(user, name, changes[name])
    if fields:
        user.save(update_fields=fields)  # BaseModel.save adds updated_at
        user.refresh_from_db(fields=["full_name", "updated_at"])
        signals.profile_updated.send(sender=User, user=user)
    return user


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
