"""Read-side querysets for the jobs API, the Celery tasks and the admin."""

import datetime
import uuid

from django.db.models import Exists, F, OuterRef, QuerySet

from apps.projects.models import Task
from apps.users.models import User

from .models import DeliveryStatus, ExportJob, ReminderDelivery


def exports_for(user: User) -> QuerySet[ExportJob]:
    """The exports `user` asked for, newest first, with their project loaded."""
    return ExportJob.objects.filter(requested_by=user).select_related("project")


def remindable_tasks() -> QuerySet[Task]:
    """Open tasks of live projects, assigned to an active user who is still a member of the
    project: the ones worth a reminder. (Leaving a project unassigns one's open tasks there;
    the membership is checked again so that no path that skips it can mail a former member.)
    """
    return Task.objects.filter(
        is_open=True,
        assignee__is_active=True,
        project__deleted_at__isnull=True,
        project__members=F("assignee"),
    )


def tasks_to_remind(first_day: datetime.date, last_day: datetime.date) -> QuerySet[Task]:
    """Remindable tasks due between the two days whose reminder for that date is not done yet.

    A reminder already sent (or failed for good) for the task's current due date is skipped
    here, so the hourly schedule enqueues each reminder about once, not 24 times a day. One
    being sent is not: if its run died, the next one takes the stale claim over.
    """
    done = ReminderDelivery.objects.filter(
        task=OuterRef("pk"),
        due_date=OuterRef("due_date"),
        status__in=[DeliveryStatus.SENT, DeliveryStatus.FAILED],
    )
    return (
        remindable_tasks()
        .filter(due_date__range=(first_day, last_day))
        .exclude(Exists(done))
        .order_by("due_date", "id")
    )


def task_to_remind(task_id: uuid.UUID) -> Task | None:
    """The task with its project and assignee, or None if it no longer calls for a reminder."""
    return remindable_tasks().select_related("project", "assignee").filter(pk=task_id).first()
