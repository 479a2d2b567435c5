"""JWT authentication for WebSocket connections from API clients.

Browsers send their session cookie with the handshake and are authenticated by Channels'
AuthMiddlewareStack. Other clients cannot rely on cookies, so they send the same access token
they use for the HTTP API, either as an `Authorization: Bearer <token>` header or, where the
client library cannot set headers, as `?token=<token>` in the URL.
"""

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth.models import AnonymousUser
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken, TokenError


def token_from_scope(scope: dict[str, Any]) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token:
                return token.strip()
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return query.get("token", [None])[0]


@database_sync_to_async
def user_for_token(raw_token: str) -> Any:
    authentication = JWTAuthentication()
    try:
        return authentication.get_user(authentication.get_validated_token(raw_token.encode()))
    except (InvalidToken, TokenError, AuthenticationFailed):
        # A bad, expired or revoked token is the same as no login: the consumer closes 4401.
        return AnonymousUser()


class JWTAuthMiddleware(BaseMiddleware):
    """Sets scope["user"] from a JWT when the connection carries one."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if token := token_from_scope(scope):
            scope = {**scope, "user": await user_for_token(token)}
        return await super().__call__(scope, receive, send)
