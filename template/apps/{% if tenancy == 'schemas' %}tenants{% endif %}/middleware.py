"""django-tenants' TenantMainMiddleware, with host lookups remembered for a while.

Every request needs its host's organization (probes never get here: apps.core.health answers
them first); a host rarely moves, so each process remembers the answer for
TENANT_DOMAIN_CACHE_SECONDS (a moved or deleted domain routes as before for at most that long;
membership is still checked on every request).
"""

import threading
import time
from typing import Any

from django.conf import settings
from django_tenants.middleware.main import TenantMainMiddleware


class DomainCache:
    """host name -> (expiry, organization), per process."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, hostname: str) -> Any:
        with self._lock:
            expiry, tenant = self._entries.get(hostname, (0.0, None))
        return tenant if expiry > time.monotonic() else None

    def put(self, hostname: str, tenant: Any, seconds: float) -> None:
        with self._lock:
            self._entries[hostname] = (time.monotonic() + seconds, tenant)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


domain_cache = DomainCache()


class TenantMiddleware(TenantMainMiddleware):
    def get_tenant(self, domain_model: Any, hostname: str) -> Any:
        seconds = getattr(settings, "TENANT_DOMAIN_CACHE_SECONDS", 0)
        tenant = domain_cache.get(hostname) if seconds else None
        if tenant is None:
            tenant = super().get_tenant(domain_model, hostname)  # DoesNotExist: a 404
            if seconds:
                domain_cache.put(hostname, tenant, seconds)
        return tenant
