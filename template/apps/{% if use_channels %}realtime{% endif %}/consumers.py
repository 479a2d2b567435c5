"""WebSocket consumers. Every message is JSON: {"type": "...", ...}."""

import json
from typing import Any, ClassVar

from channels.generic.websocket import AsyncJsonWebsocketConsumer

# Application close codes (4000-4999 are free for applications).
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403


def user_group(user_id: object) -> str:
    """The group every connection of one user joins."""
    return f"user.{user_id}"


class AuthenticatedJsonConsumer(AsyncJsonWebsocketConsumer):
    """Admits signed-in users that `authorize()` accepts into `groups_for_connection()`.

    Groups are joined before the handshake completes, so no event published after the client
    sees the connection open can be missed.
    """

    handlers: ClassVar[dict[str, str]] = {"ping": "handle_ping"}

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.refuse(CLOSE_UNAUTHENTICATED)
            return
        if not await self.authorize(user):
            await self.refuse(CLOSE_FORBIDDEN)
            return
        self.joined = await self.groups_for_connection(user)
        for group in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def refuse(self, code: int) -> None:
        # Accept, then close: the client gets a code it can act on (4401: sign in again;
        # 4403: no access) instead of a bare failed handshake.
        await self.accept()
        await self.close(code=code)

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def authorize(self, user: Any) -> bool:
        return True

    async def groups_for_connection(self, user: Any) -> list[str]:
        return []

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        # Bad input gets an error frame; it never closes the connection or raises.
        if text_data is None:
            await self.send_error("unsupported", "Send JSON text frames.")
            return
        try:
            content = json.loads(text_data)
        except json.JSONDecodeError:
            await self.send_error("invalid_json", "The message is not valid JSON.")
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        message_type = content.get("type") if isinstance(content, dict) else None
        handler = self.handlers.get(message_type) if isinstance(message_type, str) else None
        if handler is None:
            await self.send_error("unknown_type", f"Unknown message type: {message_type!r}.")
            return
        await getattr(self, handler)(content)

    async def handle_ping(self, content: dict[str, Any]) -> None:
        await self.send_json({"type": "pong"})

    async def send_error(self, code: str, detail: str) -> None:
        await self.send_json({"type": "error", "code": code, "detail": detail})

    async def broadcast_event(self, event: dict[str, Any]) -> None:
        """Relays a group message sent with type "broadcast.event" to this client."""
        await self.send_json(event["payload"])


class NotificationsConsumer(AuthenticatedJsonConsumer):
    """ws/notifications/: messages addressed to the signed-in user, on all their connections."""

    async def groups_for_connection(self, user: Any) -> list[str]:
        return [user_group(user.pk)]
