"""Query-string filters for the project and task lists."""

import uuid
from typing import Any

from django import forms
from django.db.models import F, OrderBy, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework.request import Request
from rest_framework.views import APIView

from apps.core.api.filters import BooleanFilter, FilterSet, OrderingFilter

from .models import Project, Task, TaskPriority, TaskStatus


class UserRefField(forms.Field):
    """A user id, or `me` for the requesting user (and `none` when `allow_none`)."""

    default_error_messages = {"invalid": "Enter a user id or a keyword."}

    def __init__(self, *args: Any, allow_none: bool = False, **kwargs: Any) -> None:
        self.keywords = {"me", "none"} if allow_none else {"me"}
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> str | uuid.UUID | None:
        value = str(value).strip() if value is not None else None
        if value in self.empty_values:
            return None
        if value in self.keywords:
            return value
        try:
            return uuid.UUID(value)
        except ValueError:
            words = " or ".join(f"`{word}`" for word in sorted(self.keywords))
            raise forms.ValidationError(f"Enter a user id or {words}.", code="invalid") from None


def _user_ref_schema(*keywords: str) -> dict[str, Any]:
    return {"anyOf": [{"type": "string", "format": "uuid"}, {"type": "string", "enum": keywords}]}


@extend_schema_field(_user_ref_schema("me"))
class UserRefFilter(filters.CharFilter):
    """Filters a user foreign key by id; `me` means the requesting user, `none` no user."""

    field_class = UserRefField

    def __init__(self, *args: Any, allow_none: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, allow_none=allow_none, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value is None:
            return qs
        if value == "me":
            return qs.filter(**{self.field_name: self.parent.request.user})
        if value == "none":
            return qs.filter(**{f"{self.field_name}__isnull": True})
        return qs.filter(**{self.field_name: value})


@extend_schema_field(_user_ref_schema("me", "none"))
class UserOrNoneRefFilter(UserRefFilter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, allow_none=True, **kwargs)


class ProjectFilter(FilterSet):
    owner = UserRefFilter(help_text="Owner's user id, or `me`.")

    class Meta:
        model = Project
        fields = ["owner"]


class TaskFilter(FilterSet):
    project = filters.UUIDFilter(field_name="project", help_text="Project id.")
    status = filters.MultipleChoiceFilter(
        choices=TaskStatus.choices, help_text="Repeat to match any of several statuses."
    )
    priority = filters.TypedChoiceFilter(choices=TaskPriority.choices, coerce=int)
    assignee = UserOrNoneRefFilter(
        help_text="Assignee's user id, `me`, or `none` for unassigned tasks."
    )
    is_open = BooleanFilter(help_text="false: done tasks; true: all others.")
    due_before = filters.DateFilter(
        field_name="due_date", lookup_expr="lte", help_text="Due on or before this date."
    )
    due_after = filters.DateFilter(
        field_name="due_date", lookup_expr="gte", help_text="Due on or after this date."
    )

    class Meta:
        model = Task
        fields = ["project", "status", "priority", "assignee", "is_open"]


class StableOrderingFilter(OrderingFilter):
    """The API's strict `?ordering=`, with empty values last on every database, and `id` to
    break ties.

    PostgreSQL sorts NULL after everything and SQLite before; the tiebreak keeps pagination
    from repeating or skipping rows that share a value.
    """

    def filter_queryset(
        self, request: Request, queryset: QuerySet[Any], view: APIView
    ) -> QuerySet[Any]:
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        terms: list[OrderBy] = []
        for term in ordering:
            field = F(term.removeprefix("-"))
            descending = term.startswith("-")
            terms.append(field.desc(nulls_last=True) if descending else field.asc(nulls_last=True))
        return queryset.order_by(*terms, "id")
