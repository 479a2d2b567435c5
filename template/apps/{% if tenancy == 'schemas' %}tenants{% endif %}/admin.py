"""Organizations and their domains and members, managed from the public domain's admin."""

from typing import Any

from django.contrib import admin
from django.db import connection
from django.http import HttpRequest
from django_tenants.admin import TenantAdminMixin
from django_tenants.utils import get_public_schema_name

from .models import Client, Domain, Membership


def on_public_domain() -> bool:
    return connection.schema_name == get_public_schema_name()  # type: ignore[attr-defined]


class TenantAppAdmin(admin.ModelAdmin):
    """For models of TENANT_APPS: their tables exist only in organizations' schemas, so the
    admin shows them on an organization's host and never on the public domain."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return not on_public_domain() and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not on_public_domain() and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return not on_public_domain() and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not on_public_domain() and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not on_public_domain() and super().has_delete_permission(request, obj)


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Client)
class ClientAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = ["name", "schema_name", "created_at"]
    search_fields = ["name", "schema_name"]
    inlines = [DomainInline, MembershipInline]
