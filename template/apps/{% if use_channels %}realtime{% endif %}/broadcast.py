"""Sending to WebSocket groups from synchronous code (services, tasks)."""

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from .consumers import user_group


def broadcast(group: str, payload: dict[str, Any]) -> None:
    """Delivers `payload` to every connection in `group` (consumers relay it as JSON)."""
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, {"type": "broadcast.event", "payload": payload})


def notify_user(user_id: object, payload: dict[str, Any]) -> None:
    broadcast(user_group(user_id), payload)
