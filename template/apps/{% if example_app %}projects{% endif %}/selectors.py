"""Read-side querysets for the API and the admin: who sees what, fetched in few queries."""

from django.db.models import Count, Prefetch, Q, QuerySet

from apps.users.models import User

from .models import Project, Task


def with_task_counts(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Annotate `task_count` and `open_task_count` (one GROUP BY, no query per row)."""
    return projects.annotate(
        task_count=Count("tasks"),
        open_task_count=Count("tasks", filter=Q(tasks__is_open=True)),
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
    """Users who share at least one live project with `user` (including `user`)."""
    return User.objects.filter(projects__members=user, projects__deleted_at__isnull=True).distinct()
