"""Origin checking for WebSocket handshakes.

Cross-site WebSocket hijacking needs a victim's browser, and browsers always send an Origin
header with the handshake: a present Origin must name one of ALLOWED_HOSTS. Clients that send
no Origin (scripts, mobile apps, servers) are not browsers; they still have to authenticate,
by JWT, before a consumer accepts them.
"""

from typing import Any
from urllib.parse import ParseResult

from channels.security.websocket import OriginValidator
from django.conf import settings


class BrowserOriginValidator(OriginValidator):
    def valid_origin(self, parsed_origin: ParseResult | None) -> bool:
        return parsed_origin is None or super().valid_origin(parsed_origin)


def AllowedHostsOriginValidator(application: Any) -> BrowserOriginValidator:
    """Channels' factory of the same name, with the rule above for handshakes without Origin."""
    allowed_hosts = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed_hosts:
        allowed_hosts = ["localhost", "127.0.0.1", "[::1]"]
    return BrowserOriginValidator(application, allowed_hosts)
