"""Read-only views of background work, so staff can see what failed and why."""

from django.contrib import admin
from django.http import HttpRequest

from .models import ExportJob, ReminderDelivery


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the tasks only: staff may look (and delete), not edit."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = [
        "project",
        "requested_by",
        "status",
        "processed_rows",
        "total_rows",
        "attempts",
        "created_at",
        "finished_at",
    ]
    list_select_related = ["project", "requested_by"]
    list_filter = ["status", "created_at"]
    search_fields = ["project__name", "requested_by__email", "error"]
    date_hierarchy = "created_at"


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["task", "due_date", "recipient", "status", "attempts", "sent_at", "error"]
    list_select_related = ["task", "recipient"]
    list_filter = ["status", "due_date"]
    search_fields = ["task__title", "recipient__email", "error"]
    date_hierarchy = "due_date"
