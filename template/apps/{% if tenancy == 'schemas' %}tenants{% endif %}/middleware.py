"""django-tenants' TenantMainMiddleware, with the health checks kept off the database.

Probes reach /healthz and /readyz by the pod's address, not an organization's host name, and
liveness must answer even when PostgreSQL does not: they run in the public schema without
looking up a domain.
"""

from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django_tenants.middleware.main import TenantMainMiddleware

HEALTH_PATHS = frozenset({"/healthz", "/readyz"})


class TenantMiddleware(TenantMainMiddleware):
    def process_request(self, request: HttpRequest) -> Any:
        if request.path_info in HEALTH_PATHS:
            connection.set_schema_to_public()  # type: ignore[attr-defined]
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF  # type: ignore[attr-defined]
            return None
        return super().process_request(request)
