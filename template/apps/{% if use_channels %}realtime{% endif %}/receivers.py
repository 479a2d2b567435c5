"""Account events → the user's WebSockets: a deactivated or deleted account's connections close
(4403); a changed name reaches every page the user has open (ws/notifications/)."""

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from apps.core.side_effects import after_commit
from apps.users import signals
from apps.users.models import User

from .broadcast import notify_user, revoke_access


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


@receiver(signals.profile_updated)
def tell_the_users_pages_their_name_changed(sender: object, *, user: User, **kwargs: Any) -> None:
    event = {"type": "profile.updated", "full_name": user.full_name}
    after_commit("users.notify_profile", lambda: notify_user(user.pk, event), user=user.pk)
