"""Account events → the WebSockets they end (every connection of the user closes, 4403)."""

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from apps.core.side_effects import after_commit
from apps.users import signals
from apps.users.models import User

from .broadcast import revoke_access


@receiver(signals.user_deactivated)
def close_sockets_of_deactivated_user(sender: object, *, user: User, **kwargs: Any) -> None:
    after_commit(
        "users.close_sockets",
        lambda: revoke_access(user.pk, reason="deactivated"),
        user=user,
    )


@receiver(post_delete, sender=User)
def close_sockets_of_deleted_user(sender: object, *, instance: User, **kwargs: Any) -> None:
    user_id = instance.pk
    after_commit(
        "users.close_sockets", lambda: revoke_access(user_id, reason="deleted"), user=user_id
    )
