"""Every request starts with no organization, and puts back whatever was current before."""

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from apps.core.tests.async_support import async_test
from apps.tenants.context import UNSCOPED, current_scope, get_current_tenant
from apps.tenants.middleware import TenantContextMiddleware
from apps.tenants.models import Tenant

pytestmark = pytest.mark.django_db


def recording_view(seen: list[Any]) -> Any:
    def view(request: HttpRequest) -> HttpResponse:
        seen.append(current_scope())
        return HttpResponse()

    return view


def async_recording_view(seen: list[Any]) -> Any:
    async def view(request: HttpRequest) -> HttpResponse:
        seen.append(current_scope())
        return HttpResponse()

    return view


def test_a_request_starts_with_no_tenant_and_restores_the_previous(tenant: Tenant) -> None:
    seen: list[Any] = []
    TenantContextMiddleware(recording_view(seen))(RequestFactory().get("/api/v1/tasks/"))
    assert seen == [None]
    assert get_current_tenant() == tenant


def test_the_admin_runs_unscoped() -> None:
    seen: list[Any] = []
    TenantContextMiddleware(recording_view(seen))(RequestFactory().get("/admin/projects/"))
    assert seen == [UNSCOPED]


@async_test
async def test_under_asgi_too(tenant: Tenant) -> None:
    seen: list[Any] = []
    middleware = TenantContextMiddleware(async_recording_view(seen))
    await middleware(RequestFactory().get("/api/v1/tasks/"))
    await middleware(RequestFactory().get("/admin/"))
    assert seen == [None, UNSCOPED]
    assert get_current_tenant() == tenant
