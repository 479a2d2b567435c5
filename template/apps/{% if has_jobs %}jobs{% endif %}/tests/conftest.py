"""Fixtures for the jobs app: tasks in `project` (apps/projects/tests/fixtures.py), and a job."""

import datetime

import pytest
from django.utils import timezone

from apps.jobs import services
from apps.jobs.models import ExportJob
from apps.projects.models import Project, Task
from apps.projects.tests.factories import TaskFactory
from apps.users.models import User
from config.celery import app


@pytest.fixture
def eager_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run eager retries inline, like a worker would run them later.

    With task_eager_propagates (on in every test), Celery raises a task's Retry to the caller
    instead; the tasks' own error handling decides the outcome either way.
    """
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)


@pytest.fixture
def tasks(project: Project, member: User) -> list[Task]:
    return [
        TaskFactory.create(
            project=project,
            title="Write copy",
            status=Task.Status.IN_PROGRESS,
            priority=Task.Priority.HIGH,
            assignee=member,
            due_date=datetime.date(2030, 1, 31),
        ),
        TaskFactory.create(project=project, title="=HYPERLINK(1)"),
        TaskFactory.create(project=project, title="Ship", status=Task.Status.DONE),
    ]


@pytest.fixture
def job(project: Project, user: User) -> ExportJob:
    """A pending export of `project` for `user`, not yet run."""
    job, _ = services.request_export(project, actor=user)
    return job


def expected_csv(project: Project) -> str:
    """The export of `project`, written out by hand (oldest task first)."""

    def when(value: datetime.datetime) -> str:
        return timezone.localtime(value).isoformat()

    lines = ["title,status,priority,assignee,due_date,created_at,updated_at"]
    for task in Task.objects.filter(project=project).order_by("created_at", "id"):
        title = "'" + task.title if task.title.startswith("=") else task.title
        lines.append(
            ",".join(
                [
                    title,
                    task.get_status_display(),
                    task.get_priority_display(),
                    task.assignee.email if task.assignee else "",
                    str(task.due_date or ""),
                    when(task.created_at),
                    when(task.updated_at),
                ]
            )
        )
    return "".join(f"{line}\r\n" for line in lines)
