"""Which organization (tenant) the running code works for: one per request, task or socket.

Held in a ContextVar, so it follows the code across `await`, `sync_to_async` and
`async_to_sync` (asgiref copies the context into the thread or loop, and back) and never
leaks between two requests served by the same thread: TenantContextMiddleware starts every
request with no tenant and restores the previous value when it ends.

Three states:
- a Tenant: tenant-owned querysets (`objects`) show that tenant's rows only;
- UNSCOPED, entered with `unscoped()`: code that must see every tenant (the admin, which
  filters by the staff user's organizations itself; cross-tenant periodic jobs; commands);
- nothing: tenant-owned querysets raise TenantNotSelected (TENANCY_STRICT, the default) or
  are empty, so forgetting to pick a tenant never shows another tenant's rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from .models import Tenant


class _Unscoped:
    def __repr__(self) -> str:
        return "UNSCOPED"


UNSCOPED: Final = _Unscoped()


_current: ContextVar[Tenant | _Unscoped | None] = ContextVar("current_tenant", default=None)


class TenantNotSelected(RuntimeError):
    """A tenant-owned table was queried with no tenant selected (see TENANCY_STRICT)."""


def current_scope() -> Tenant | _Unscoped | None:
    return _current.get()


def get_current_tenant() -> Tenant | None:
    """The tenant the running code works for, or None (none selected, or unscoped)."""
    scope = _current.get()
    return None if scope is None or scope is UNSCOPED else scope  # type: ignore[return-value]


def require_current_tenant() -> Tenant:
    tenant = get_current_tenant()
    if tenant is None:
        raise TenantNotSelected(
            "No organization is selected. API requests name one in the X-Tenant header; "
            "other code runs inside `use_tenant(tenant)`."
        )
    return tenant


def activate(scope: Tenant | _Unscoped | None) -> Token[Tenant | _Unscoped | None]:
    """Select `scope` until the returned token is reset (or the request ends)."""
    return _current.set(scope)


def reset(token: Token[Tenant | _Unscoped | None]) -> None:
    _current.reset(token)


@contextmanager
def use_tenant(tenant: Tenant | None) -> Iterator[Tenant | None]:
    """Run the block for `tenant` (None: for no tenant), then restore the previous scope."""
    token = _current.set(tenant)
    try:
        yield tenant
    finally:
        _current.reset(token)


@contextmanager
def unscoped() -> Iterator[None]:
    """Run the block across every tenant. Keep such blocks small and deliberate."""
    token = _current.set(UNSCOPED)
    try:
        yield
    finally:
        _current.reset(token)
