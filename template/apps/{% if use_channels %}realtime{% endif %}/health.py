"""The channel layer's readiness check (settings.HEALTH_CHECKS)."""

from typing import Any, cast

from django.conf import settings
from redis import Redis


def check_channel_layer() -> None:
    """Pings every Redis server of the channel layer; the in-memory layer needs no check."""
    layer = cast(dict[str, Any], settings.CHANNEL_LAYERS["default"])
    for host in layer.get("CONFIG", {}).get("hosts", []):
        address = host if isinstance(host, str) else host["address"]
        with Redis.from_url(address, socket_connect_timeout=1, socket_timeout=1) as redis:
            redis.ping()
