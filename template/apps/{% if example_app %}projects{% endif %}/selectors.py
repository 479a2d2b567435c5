"""Read-side querysets for the API and the admin: who sees what, fetched in few queries."""

import datetime
from typing import Any
from uuid import UUID

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from apps.users.models import User

from .models import Project, Task, TaskStatus


def with_task_counts(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Annotate `task_count` and `open_task_count` (one GROUP BY, no query per row)."""
    return projects.annotate(
        task_count=Count("tasks"),
        open_task_count=Count("tasks", filter=Q(tasks__is_open=True)),
    )


def board_counts(project_id: UUID) -> dict[str, int]:
    """One project's `task_count` and `open_task_count`, as with_task_counts annotates them."""
    # The default manager: the project's id is scope enough, and a task may change outside
    # any request (a background job, the admin).
    return Task._default_manager.filter(project_id=project_id).aggregate(
        task_count=Count("pk"), open_task_count=Count("pk", filter=Q(is_open=True))
    )


def projects_for(user: User) -> QuerySet[Project]:
    """Live projects `user` is a member of, with owner, members and task counts loaded."""
    return (
        with_task_counts(Project.objects.filter(members=user))
        .select_related("owner")
        .prefetch_related(Prefetch("members", queryset=User.objects.order_by("email")))
        # Meta.ordering does not apply to GROUP BY queries, so repeat it here.
        .order_by("name", "id")
    )


def tasks_for(user: User) -> QuerySet[Task]:
    """Tasks of the live projects `user` is a member of, with their relations loaded."""
    return Task.objects.filter(
        project__members=user, project__deleted_at__isnull=True
    ).select_related("project", "assignee", "created_by")


def members_of_shared_projects(user: User) -> QuerySet[User]:
    """Active users who share at least one live project with `user` (including `user`)."""
    # Project.objects: the live projects, scoped as every other query of them.
    return User.objects.filter(
        is_active=True, projects__in=Project.objects.filter(members=user)
    ).distinct()


def tasks_due_soon(user: User, days: int) -> QuerySet[Task]:
    """`user`'s open tasks due within `days` days (overdue ones included), soonest first."""
    horizon = timezone.localdate() + datetime.timedelta(days=days)
    return (
        tasks_for(user)
        .filter(assignee=user, is_open=True, due_date__lte=horizon)
        .order_by("due_date", "-priority", "id")
    )


def task_counts() -> dict[str, Count]:
    """Aggregates for a project's task numbers, all computed by one query."""
    # "Overdue" is judged by the calendar of the project's TIME_ZONE, not UTC.
    today = timezone.localdate()
    return {
        "tasks": Count("pk"),
        "open": Count("pk", filter=Q(is_open=True)),
        "overdue": Count("pk", filter=Q(is_open=True, due_date__lt=today)),
        **{value: Count("pk", filter=Q(status=value)) for value in TaskStatus.values},
    }


def project_stats(project: Project, counts: dict[str, int]) -> dict[str, Any]:
    """The stats endpoint's body, from the result of `task_counts()`."""
    return {
        "project": project.pk,
        "tasks": counts["tasks"],
        "open": counts["open"],
        "overdue": counts["overdue"],
        "by_status": {value: counts[value] for value in TaskStatus.values},
    }
