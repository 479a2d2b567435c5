"""Every write to projects and tasks goes through these functions.

Each one checks that `actor` may do it, validates the result like a form would (so a broken
rule is a `ValidationError`, never an `IntegrityError`), and writes inside one transaction.
What must only happen once a change is committed (events to browsers, background jobs,
e-mails) hangs off the domain signals in signals.py, which are sent on commit.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Now
from django.dispatch import Signal
from django.utils import timezone

from apps.users.models import User

from . import signals
from .models import Project, Task, TaskStatus

PROJECT_FIELDS = frozenset({"name", "description"})
TASK_FIELDS = frozenset({"title", "description", "status", "priority", "assignee", "due_date"})


def _check_fields(fields: dict[str, Any], allowed: frozenset[str]) -> None:
    if unknown := fields.keys() - allowed:
        raise TypeError(f"Unexpected field(s): {', '.join(sorted(unknown))}")


def _validated_save(instance: models.Model, **save_kwargs: Any) -> None:
    """Validate fields and constraints, then save.

    The database constraint stays the last word: if a concurrent request wrote a clashing
    row between the check and the save, re-validating now sees it and reports it the same way.
    """
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save(**save_kwargs)
    except IntegrityError:
        instance.validate_constraints()
        raise


def _require_owner(project: Project, actor: User) -> None:
    if project.owner_id != actor.pk:
        raise PermissionDenied("Only the project owner can do this.")


def _require_member(project: Project, actor: User) -> None:
    if not project.members.filter(pk=actor.pk).exists():
        raise PermissionDenied("Only project members can do this.")


def _send_on_commit(signal: Signal, **kwargs: Any) -> None:
    """Send `signal` once the current transaction commits (at once outside a transaction);
    nothing is sent if it rolls back, so receivers never see a change that did not happen."""
    transaction.on_commit(lambda: signal.send(sender=Project, **kwargs))


def sync_completed_at(task: Task) -> None:
    """Stamp `completed_at` when a task is done; clear it when the task is reopened."""
    if task.status == TaskStatus.DONE:
        if task.completed_at is None:
            task.completed_at = timezone.now()
    else:
        task.completed_at = None


# Projects


def create_project(*, owner: User, name: str, description: str = "") -> Project:
    project = Project(owner=owner, name=name, description=description)
    with transaction.atomic():
        _validated_save(project)
        project.members.add(owner)
    return project


def update_project(project: Project, *, actor: User, **fields: Any) -> Project:
    _check_fields(fields, PROJECT_FIELDS)
    _require_owner(project, actor)
    for name, value in fields.items():
        setattr(project, name, value)
    with transaction.atomic():
        _validated_save(project, update_fields=fields.keys())
    return project


def delete_project(project: Project, *, actor: User) -> None:
    """Soft delete: the project and its tasks disappear from every list but stay restorable."""
    _require_owner(project, actor)
    with transaction.atomic():
        project.soft_delete()
        _send_on_commit(signals.project_deleted, project_id=project.pk)


def add_member(project: Project, *, actor: User, user: User) -> bool:
    """Add `user` to the project; returns False if they were already a member."""
    _require_owner(project, actor)
    if not user.is_active:
        raise ValidationError({"user": "Inactive users cannot join a project."})
    with transaction.atomic():
        if project.members.filter(pk=user.pk).exists():
            return False
        project.members.add(user)
    return True


def remove_member(project: Project, *, actor: User, user: User) -> None:
    """Remove `user` from the project and unassign the open tasks they held in it."""
    _require_owner(project, actor)
    if user.pk == project.owner_id:
        raise ValidationError({"user": "The owner cannot be removed from the project."})
    with transaction.atomic():
        Task.objects.filter(project=project, assignee=user, is_open=True).update(
            assignee=None, updated_at=Now()
        )
        project.members.remove(user)
        _send_on_commit(signals.member_removed, project_id=project.pk, user_id=user.pk)


# Tasks


def create_task(project: Project, *, actor: User, **fields: Any) -> Task:
    _check_fields(fields, TASK_FIELDS)
    _require_member(project, actor)
    task = Task(project=project, created_by=actor, **fields)
    sync_completed_at(task)
    with transaction.atomic():
        _validated_save(task)  # Task.clean() checks that the assignee is a member
        _send_task_changed(task, "created")
    return task


def update_task(task: Task, *, actor: User, **fields: Any) -> Task:
    _check_fields(fields, TASK_FIELDS)
    _require_member(task.project, actor)
    for name, value in fields.items():
        setattr(task, name, value)
    sync_completed_at(task)
    with transaction.atomic():
        _validated_save(task, update_fields={*fields.keys(), "completed_at"})
        # The database recomputed is_open; read it back so callers see the current value.
        task.refresh_from_db(fields=["is_open"])
        _send_task_changed(task, "updated")
    return task


def delete_task(task: Task, *, actor: User) -> None:
    _require_member(task.project, actor)
    task_id, project_id = task.pk, task.project_id
    with transaction.atomic():
        task.delete()
        _send_on_commit(
            signals.task_changed,
            action="deleted",
            project_id=project_id,
            task_id=task_id,
            task=None,
        )


def _send_task_changed(task: Task, action: str) -> None:
    _send_on_commit(
        signals.task_changed,
        action=action,
        project_id=task.project_id,
        task_id=task.pk,
        task=task,
    )
