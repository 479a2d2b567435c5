"""Managers that show the current tenant's rows only (see context.py)."""

from typing import Any

from django.conf import settings
from django.db import models

from apps.core.models import AliveManager

from .context import UNSCOPED, TenantNotSelected, current_scope


def scoped(queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """`queryset` limited to the current tenant; refused (or empty) when none is selected."""
    scope = current_scope()
    if scope is UNSCOPED:
        return queryset
    if scope is None:
        if getattr(settings, "TENANCY_STRICT", True):
            raise TenantNotSelected(
                f"{queryset.model.__name__} rows belong to an organization, and none is "
                "selected: run inside `use_tenant(tenant)` (requests select theirs from the "
                "X-Tenant header), or `unscoped()` to work across organizations on purpose."
            )
        return queryset.none()
    return queryset.filter(tenant=scope)


class TenantScopedManager(models.Manager[Any]):
    """`objects` of tenant-owned models: the current tenant's rows."""

    def get_queryset(self) -> models.QuerySet[Any]:
        return scoped(super().get_queryset())

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        for obj in objs:  # save() is skipped: give each row its organization here
            obj.take_tenant()
        return super().bulk_create(objs, *args, **kwargs)


class TenantScopedAliveManager(TenantScopedManager, AliveManager):  # type: ignore[misc]
    """The current tenant's rows that are not soft-deleted."""


class AllTenantsManager(models.Manager[Any]):
    """Every tenant's rows: for the admin, cross-tenant jobs and data migrations only."""
