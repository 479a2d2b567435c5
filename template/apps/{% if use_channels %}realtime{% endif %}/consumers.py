"""WebSocket consumers. Every message is JSON: {"type": "...", ...}."""

import json
from typing import Any, ClassVar

from channels.generic.websocket import AsyncJsonWebsocketConsumer, AsyncWebsocketConsumer

# Application close codes (4000-4999 are free for applications).
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404


def user_group(user_id: object) -> str:
    """The group of one user's notifications (ws/notifications/)."""
    return f"user.{user_id}"


def access_group(user_id: object) -> str:
    """The group every authenticated connection of one user joins, whatever it streams, so
    that ending their access (removal from an organization, deactivation) reaches them all."""
    return f"user.{user_id}.access"


class AuthenticatedJsonConsumer(AsyncJsonWebsocketConsumer):
    """Admits signed-in users that `authorize()` accepts into `groups_for_connection()`.

    Groups are joined before the handshake completes, so no event published after the client
    sees the connection open can be missed. The user's access group is joined before
    `authorize()` even looks: access ended after that check still reaches this connection.
    """

    handlers: ClassVar[dict[str, str]] = {"ping": "handle_ping"}

    #: The organization this connection streams (its id as a string), if any: removal from
    #: that organization closes it; deactivation closes every connection.
    organization: str | None = None
    #: Set once the connection is closing: events still on their way are dropped.
    ended = False

    async def connect(self) -> None:
        self.joined: list[str] = []
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.refuse(CLOSE_UNAUTHENTICATED)
            return
        await self.join(access_group(user.pk))
        if not await self.authorize(user):
            await self.refuse(CLOSE_FORBIDDEN)
            return
        for group in await self.groups_for_connection(user):
            await self.join(group)
        await self.accept()

    async def join(self, group: str) -> None:
        await self.channel_layer.group_add(group, self.channel_name)
        self.joined.append(group)

    async def refuse(self, code: int) -> None:
        # Accept, then close: the client gets a code it can act on (4401: sign in again;
        # 4403: no access) instead of a bare failed handshake.
        await self.accept()
        await self.end(code)

    async def end(self, code: int) -> None:
        """Close with `code`; events already on their way are dropped, not sent after it."""
        self.ended = True
        await self.close(code=code)

    async def disconnect(self, code: int) -> None:
        for group in self.joined:
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
        except RecursionError:
            # json.loads recurses once per level of nesting: a deep enough frame exhausts
            # the stack. No message of ours nests more than a few levels.
            await self.send_error("too_deep", "The message nests too deeply.")
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
        if not self.ended:
            await self.send_json(event["payload"])

    async def access_revoked(self, event: dict[str, Any]) -> None:
        """The user lost access (group message "access.revoked", realtime.broadcast): close
        with 4403 if it covers this connection, every one (no organization) or its own."""
        organization = event.get("organization")
        if self.ended or (organization is not None and organization != self.organization):
            return
        await self.say_access_ended(event)
        await self.end(CLOSE_FORBIDDEN)

    async def say_access_ended(self, event: dict[str, Any]) -> None:
        """Tells the client why, before the connection closes (nothing by default: 4403 says
        "no access", as when a project removes its member)."""


class NotificationsConsumer(AuthenticatedJsonConsumer):
    """ws/notifications/: messages addressed to the signed-in user, on all their connections."""

    async def groups_for_connection(self, user: Any) -> list[str]:
        return [user_group(user.pk)]


class UnknownPathConsumer(AsyncWebsocketConsumer):
    """Every ws/ path no route matches: closed with 4404, where Channels' router would raise
    (and the server answer the handshake with an HTTP 500)."""

    async def connect(self) -> None:
        await self.accept()
        await self.close(code=CLOSE_NOT_FOUND)
