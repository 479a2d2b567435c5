"""Every request starts with no organization selected and ends by restoring the previous one.

API views select theirs from the X-Tenant header once the user is authenticated
(permissions.IsTenantMember). The admin runs unscoped: it is the operators' tool, and its
ModelAdmins filter rows by the staff user's organizations themselves (admin.py).

Async-capable: under ASGI it runs on the event loop with no thread hop.
"""

from collections.abc import Awaitable, Callable
from functools import cached_property
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse

from .context import UNSCOPED, activate, reset


class TenantContextMiddleware:
    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    @cached_property
    def admin_prefix(self) -> str:
        return reverse("admin:index")

    def _scope_for(self, request: HttpRequest) -> Any:
        return UNSCOPED if request.path_info.startswith(self.admin_prefix) else None

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self.__acall__(request)
        token = activate(self._scope_for(request))
        try:
            return self.get_response(request)
        finally:
            reset(token)

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        token = activate(self._scope_for(request))
        try:
            get_response: Callable[[HttpRequest], Awaitable[HttpResponseBase]] = self.get_response
            return await get_response(request)
        finally:
            reset(token)
