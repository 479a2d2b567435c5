"""Who the client is when requests arrive through reverse proxies.

Each proxy appends the address it received the request from to X-Forwarded-For, so only the
entries the deployment's own proxies wrote can be trusted: with TRUSTED_PROXY_COUNT proxies
in front of the app, the client is that many entries from the right. Anything further left
was sent by the client and is ignored. With no proxy (0) the header is ignored altogether.

DRF's throttles apply the same rule (REST_FRAMEWORK["NUM_PROXIES"] is the same setting), so
throttling and login lockouts always agree on who the client is.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote_addr = str(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if proxies <= 0 or not forwarded:
        return remote_addr
    addresses = [address.strip() for address in forwarded.split(",")]
    # DRF's rule: a request that passed fewer proxies than configured takes the leftmost.
    candidate = addresses[-min(proxies, len(addresses))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr
