"""Sign-ins → django-axes' failure counts."""

from typing import Any

from axes.utils import reset
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .models import User


@receiver(user_logged_in)
def forget_failed_sign_ins(sender: type[User], request: Any, user: User, **kwargs: Any) -> None:
    """A successful sign-in clears the account's failures (django-axes), and only the
    account's: the client address keeps its count, or anyone with an account of their own
    could sign in to it between guesses at other people's and never be locked out."""
    reset(username=user.get_username().lower())
