"""Managers that show the current tenant's rows only (see context.py)."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models

from apps.core.models import AliveManager

from .context import UNSCOPED, TenantNotSelected, current_scope


def scoped[M: models.Model](queryset: models.QuerySet[M]) -> models.QuerySet[M]:
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


class TenantScopedManager[M: models.Model](models.Manager[M]):
    """`objects` of tenant-owned models: the current tenant's rows."""

    def get_queryset(self) -> models.QuerySet[M]:
        return scoped(super().get_queryset())

    def bulk_create(self, objs: Iterable[M], *args: Any, **kwargs: Any) -> list[M]:
        objs = list(objs)
        for obj in objs:  # save() is skipped: give each row its organization here
            obj.take_tenant()  # type: ignore[attr-defined]
        return super().bulk_create(objs, *args, **kwargs)


class TenantScopedAliveManager[M: models.Model](  # type: ignore[misc]
    TenantScopedManager[M], AliveManager
):
    """The current tenant's rows that are not soft-deleted."""


class AllTenantsManager[M: models.Model](models.Manager[M]):
    """Every tenant's rows: for the admin, cross-tenant jobs and data migrations only."""
