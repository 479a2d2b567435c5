"""Organizations in the admin, and the base of every tenant-owned model's admin.

The admin runs unscoped (TenantContextMiddleware): superusers see every organization's
rows; other staff see only those of organizations they own or administer.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import MANAGER_ROLES, Invitation, Membership, Tenant


def administered_tenants(request: HttpRequest) -> QuerySet[Tenant]:
    user: Any = request.user
    if user.is_superuser:
        return Tenant.objects.all()
    return Tenant.objects.filter(memberships__user=user, memberships__role__in=MANAGER_ROLES)


class TenantScopedAdmin(admin.ModelAdmin):
    """For tenant-owned models: rows and choices limited to the staff user's organizations."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(tenant__in=administered_tenants(request))

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        # A row whose organization follows its parent's (a task's project) never sets it.
        exclude = list(super().get_exclude(request, obj) or [])
        return [*exclude, "tenant"] if self.model.tenant_source else exclude

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))
        if self.model.tenant_source or "tenant" in fields:
            return fields
        return ["tenant", *fields]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "tenant"] if obj is not None else readonly  # rows never move

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "tenant":
            kwargs["queryset"] = administered_tenants(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_list_select_related(self, request: HttpRequest) -> Any:
        related = super().get_list_select_related(request)
        return [*related, "tenant"] if isinstance(related, list | tuple) else related

    def get_list_display(self, request: HttpRequest) -> Any:
        return [*super().get_list_display(request), "tenant"]

    def get_list_filter(self, request: HttpRequest) -> Any:
        return [*super().get_list_filter(request), "tenant"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Tenant]:
        return administered_tenants(request)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "tenant", "role", "invited_by", "expires_at", "accepted_at"]
    list_select_related = ["tenant", "invited_by"]
    list_filter = ["role", "tenant"]
    search_fields = ["email", "tenant__name"]
    readonly_fields = ["tenant", "email", "role", "invited_by", "expires_at", "accepted_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Invitation]:
        return super().get_queryset(request).filter(tenant__in=administered_tenants(request))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # invitations carry a token that only services.invite can send
