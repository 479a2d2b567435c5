"""Organizations and their domains and members, managed from the public domain's admin."""

from django.contrib import admin
from django_tenants.admin import TenantAdminMixin

from .models import Client, Domain, Membership


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
