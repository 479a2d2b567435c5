from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from apps.core.admin import DeletedListFilter, SoftDeleteAdmin

from . import selectors, services
from .models import Project, Task
from .scope import ScopedAdmin


@admin.register(Project)
class ProjectAdmin(ScopedAdmin, SoftDeleteAdmin):
    list_display = ["name", "owner", "task_count", "open_task_count", "created_at", "deleted_at"]
    list_select_related = ["owner"]
    list_filter = [DeletedListFilter, "created_at"]
    search_fields = ["name", "owner__email"]
    autocomplete_fields = ["owner", "members"]
    readonly_fields = [*SoftDeleteAdmin.readonly_fields, "tasks_link"]
    fields = [
        "name",
        "description",
        "owner",
        "members",
        "tasks_link",
        *SoftDeleteAdmin.readonly_fields,
    ]
    # No task inline: a busy project has thousands. The task list, filtered, is one click away.

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return selectors.with_task_counts(super().get_queryset(request))

    @admin.display(description="tasks", ordering="task_count")
    def task_count(self, obj: Project) -> int:
        return obj.task_count  # type: ignore[attr-defined]

    @admin.display(description="open", ordering="open_task_count")
    def open_task_count(self, obj: Project) -> int:
        return obj.open_task_count  # type: ignore[attr-defined]

    @admin.display(description="tasks")
    def tasks_link(self, obj: Project) -> str:
        if obj.pk is None:
            return "-"
        url = reverse("admin:projects_task_changelist")
        return format_html('<a href="{}?project__id__exact={}">View tasks</a>', url, obj.pk)

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        form.instance.members.add(form.instance.owner)  # the owner is always a member


@admin.register(Task)
class TaskAdmin(ScopedAdmin):
    list_display = ["title", "project", "status", "priority", "assignee", "due_date", "is_open"]
    list_select_related = ["project", "assignee"]
    list_filter = ["status", "priority", "is_open", "due_date"]
    search_fields = ["title", "project__name", "assignee__email"]
    autocomplete_fields = ["project", "assignee"]
    readonly_fields = ["is_open", "completed_at", "created_by", "created_at", "updated_at"]
    date_hierarchy = "due_date"

    def save_model(self, request: HttpRequest, obj: Task, form: ModelForm, change: bool) -> None:
        # Staff edit any project, so the services' membership rules don't apply here; the
        # model's own rules (Task.clean) ran with the form, and completed_at is kept in step.
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        services.sync_completed_at(obj)
        super().save_model(request, obj, form, change)
