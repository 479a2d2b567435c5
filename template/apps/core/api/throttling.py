"""DRF's rate throttles, keyed on the client address of apps/core/proxies.py."""

from rest_framework import throttling
from rest_framework.request import Request

from apps.core.proxies import client_ip


class AnonRateThrottle(throttling.AnonRateThrottle):
    def get_ident(self, request: Request) -> str:
        return client_ip(request)


class UserRateThrottle(throttling.UserRateThrottle):
    def get_ident(self, request: Request) -> str:
        return client_ip(request)
