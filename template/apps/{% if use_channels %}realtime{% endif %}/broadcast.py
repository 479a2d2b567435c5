"""Sending to WebSocket groups from synchronous code (services, tasks)."""

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from .consumers import user_group


def broadcast(group: str, payload: dict[str, Any], *, html: str | None = None) -> None:
    """Delivers `payload` to every connection in `group` (consumers relay it as JSON).

    `html`, when given, is the same event as an HTML fragment, for pages that listen with
    htmx's WebSocket extension: the caller renders it once for every connection.
    """
    layer = get_channel_layer()
    if layer is not None:
        message: dict[str, Any] = {"type": "broadcast.event", "payload": payload}
        if html is not None:
            message["html"] = html
        async_to_sync(layer.group_send)(group, message)


def notify_user(user_id: object, payload: dict[str, Any]) -> None:
    broadcast(user_group(user_id), payload)
