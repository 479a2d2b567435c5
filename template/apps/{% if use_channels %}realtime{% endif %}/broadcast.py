"""Sending to WebSocket groups from synchronous code (services, tasks, receivers).

Callers run after a commit, through apps.core.side_effects: a channel layer that is down is
then logged and counted there, and never fails the change that was committed.
"""

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from .consumers import access_group, user_group


def broadcast(group: str, payload: dict[str, Any], *, html: str | None = None) -> None:
    """Delivers `payload` to every connection in `group` (consumers relay it as JSON).

    `html`, when given, is the same event as an HTML fragment, for pages that listen with
    htmx's WebSocket extension: the caller renders it once for every connection.
    """
    message: dict[str, Any] = {"type": "broadcast.event", "payload": payload}
    if html is not None:
        message["html"] = html
    _group_send(group, message)


def notify_user(user_id: object, payload: dict[str, Any]) -> None:
    broadcast(user_group(user_id), payload)


def revoke_access(user_id: object, *, organization: object = None, reason: str) -> None:
    """Closes the user's connections (4403): those of `organization` (its id), or every one.

    `reason` ("removed", "deactivated") lets a page tell the user why.
    """
    _group_send(
        access_group(user_id),
        {
            "type": "access.revoked",
            "organization": None if organization is None else str(organization),
            "reason": reason,
        },
    )


def _group_send(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, message)
