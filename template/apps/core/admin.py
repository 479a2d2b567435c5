"""Admin building blocks shared by the apps."""

from typing import Any, cast

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import SoftDeleteQuerySet

# The project's name on every admin page, instead of "Django administration".
admin.site.site_header = admin.site.site_title = f"{settings.PROJECT_NAME} administration"


class DeletedListFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("alive", "Active"), ("deleted", "Deleted")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "alive":
            return queryset.filter(deleted_at__isnull=True)
        if self.value() == "deleted":
            return queryset.filter(deleted_at__isnull=False)
        return queryset


class SoftDeleteAdmin(admin.ModelAdmin):
    """Lists deleted rows too (filterable) and deletes softly: actions mark, never remove."""

    actions = ["soft_delete_selected", "restore_selected"]
    list_filter = [DeletedListFilter]
    readonly_fields = ["deleted_at", "created_at", "updated_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = self.model.all_objects.get_queryset()
        if ordering := self.get_ordering(request):
            queryset = queryset.order_by(*ordering)
        return queryset

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # the hard delete; use soft_delete_selected
        return actions

    @admin.action(description="Delete selected %(verbose_name_plural)s (soft)")
    def soft_delete_selected(self, request: HttpRequest, queryset: SoftDeleteQuerySet) -> None:
        count = queryset.soft_delete()
        self.message_user(
            request, f"Deleted {count} row(s); they can be restored.", messages.SUCCESS
        )

    @admin.action(description="Restore selected %(verbose_name_plural)s")
    def restore_selected(self, request: HttpRequest, queryset: SoftDeleteQuerySet) -> None:
        count = queryset.restore()
        self.message_user(request, f"Restored {count} row(s).", messages.SUCCESS)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        obj.soft_delete()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        # get_queryset() above builds every queryset this admin hands out from all_objects.
        cast(SoftDeleteQuerySet, queryset).soft_delete()
