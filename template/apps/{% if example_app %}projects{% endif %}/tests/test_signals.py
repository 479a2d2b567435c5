"""The services announce committed changes through the domain signals, and only those."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import Signal

from apps.projects import services, signals
from apps.projects.models import Project, TaskStatus
from apps.users.models import User

from .factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def received() -> Iterator[list[tuple[Signal, dict[str, Any]]]]:
    events: list[tuple[Signal, dict[str, Any]]] = []
    watched = [signals.task_changed, signals.member_removed, signals.project_deleted]
    handlers = {}
    for signal in watched:

        def handler(sender: object, _signal: Signal = signal, **kwargs: Any) -> None:
            kwargs.pop("signal")
            events.append((_signal, kwargs))

        handlers[signal] = handler
        signal.connect(handler, weak=False)
    yield events
    for signal, handler in handlers.items():
        signal.disconnect(handler)


def test_task_lifecycle_is_announced_after_commit(
    project: Project, user: User, received: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        task = services.create_task(project, actor=user, title="Write the brief")
        assert received == [], "nothing is sent before the transaction commits"
    with django_capture_on_commit_callbacks(execute=True):
        services.update_task(task, actor=user, status=TaskStatus.DONE)
    task_id = task.pk
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_task(task, actor=user)

    assert [(s, e["action"], e["task_id"], e["project_id"]) for s, e in received] == [
        (signals.task_changed, "created", task_id, project.pk),
        (signals.task_changed, "updated", task_id, project.pk),
        (signals.task_changed, "deleted", task_id, project.pk),
    ]
    assert received[1][1]["task"].status == TaskStatus.DONE
    assert received[2][1]["task"] is None


def test_nothing_is_announced_when_the_transaction_rolls_back(
    project: Project, user: User, received: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    def create_then_fail() -> None:
        with transaction.atomic():
            services.create_task(project, actor=user, title="Doomed")
            raise RuntimeError("the caller's transaction fails later")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        create_then_fail()
    assert callbacks == []
    assert received == []


def test_membership_and_project_deletion_are_announced(
    project: Project,
    member: User,
    user: User,
    received: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    TaskFactory.create(project=project, assignee=member)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_member(project, actor=user, user=member)
        services.delete_project(project, actor=user)
    assert received == [
        (signals.member_removed, {"project_id": project.pk, "user_id": member.pk}),
        (signals.project_deleted, {"project_id": project.pk}),
    ]


def test_refused_changes_are_not_announced(
    project: Project,
    other_user: User,
    received: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(PermissionDenied, match="members"),
    ):
        services.create_task(project, actor=other_user, title="Intruder")
    assert received == []
