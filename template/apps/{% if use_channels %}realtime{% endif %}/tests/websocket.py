"""Opening WebSocket connections against the project's real ASGI stack, for tests."""

from typing import Any

from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application

ORIGIN = (b"origin", b"http://testserver")


def session_cookie_for(user: Any) -> tuple[bytes, bytes]:
    client = Client()
    client.force_login(user)
    return (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())


def communicator(path: str, *headers: tuple[bytes, bytes]) -> WebsocketCommunicator:
    """A connection to `path` from the test clients' host, "testserver", with `headers`."""
    return WebsocketCommunicator(application, path, headers=[(b"host", b"testserver"), *headers])


async def close_code(ws: WebsocketCommunicator) -> int | None:
    """Connects and returns the close code the server sends (None if it stays open)."""
    # Generous: the first connection of a run may still be importing the channel layer.
    connected, _ = await ws.connect(timeout=5)
    assert connected, "the handshake itself should be accepted"
    if await ws.receive_nothing(timeout=0.2):
        return None
    message = await ws.receive_output()
    assert message["type"] == "websocket.close"
    return int(message["code"])
