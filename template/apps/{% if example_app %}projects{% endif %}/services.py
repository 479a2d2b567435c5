"""Every write to projects and tasks goes through these functions.

Each one checks that `actor` may do it, validates the result like a form would (so a broken
rule is a `ValidationError`, never an `IntegrityError`), and writes inside one transaction.
What must only happen once a change is committed (events to browsers, background jobs,
e-mails) hangs off the domain signals in signals.py, which are sent on commit, robustly: a
receiver that fails is logged and counted, and never fails the committed change.
"""

import datetime
import enum
import itertools
from typing import Any, Final, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Now
from django.dispatch import Signal
from django.utils import timezone

from apps.core.side_effects import send_after_commit
from apps.users.models import User

from . import signals
from .models import Project, Task, TaskPriority, TaskStatus
from .scope import check_may_join


class _Unset(enum.Enum):
    UNSET = enum.auto()


#: The default of an update's keyword arguments: the field keeps its value.
UNSET: Final = _Unset.UNSET
type Maybe[T] = T | Literal[_Unset.UNSET]


def _given(**fields: object) -> dict[str, object]:
    return {name: value for name, value in fields.items() if value is not UNSET}


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
    send_after_commit(signal, Project, **kwargs)


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


def update_project(
    project: Project, *, actor: User, name: Maybe[str] = UNSET, description: Maybe[str] = UNSET
) -> Project:
    fields = _given(name=name, description=description)
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
    check_may_join(project, user)
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


def leave_projects(
    user: User, projects: models.QuerySet[Project], *, successor: User | None
) -> None:
    """End `user`'s part in `projects`, in the caller's transaction: their access to them is
    over (offboarding.py says when).

    They leave every one of them they are a member of (soft-deleted ones too, so a restore
    brings nothing back), and their open tasks there become unassigned. A project they own
    moves to `successor`, who joins it, renamed "Name (2)" if they have one of that name
    already; with no successor it stays theirs (and only theirs to manage).
    """
    theirs = list(projects.filter(members=user))
    Task.objects.filter(project__in=theirs, assignee=user, is_open=True).update(
        assignee=None, updated_at=Now()
    )
    for project in theirs:
        if project.owner_id == user.pk:
            if successor is None:
                continue
            _hand_over(project, successor)
        project.members.remove(user)


def _hand_over(project: Project, owner: User) -> None:
    project.owner = owner
    name = project.name
    max_length = Project._meta.get_field("name").max_length or len(name)
    for number in itertools.count(2):
        try:
            project.validate_constraints()
        except ValidationError as error:
            if "name" not in getattr(error, "error_dict", {}):
                raise
            # The new owner has a project of that name already.
            suffix = f" ({number})"
            project.name = name[: max_length - len(suffix)] + suffix
        else:
            break
    project.save(update_fields=["owner", "name"])
    project.members.add(owner)


# Tasks


def create_task(
    project: Project,
    *,
    actor: User,
    title: str,
    description: str = "",
    status: str = TaskStatus.TODO,
    priority: int = TaskPriority.MEDIUM,
    assignee: User | None = None,
    due_date: datetime.date | None = None,
) -> Task:
    _require_member(project, actor)
    task = Task(
        project=project,
        created_by=actor,
        title=title,
        description=description,
        status=status,
        priority=priority,
        assignee=assignee,
        due_date=due_date,
    )
    sync_completed_at(task)
    with transaction.atomic():
        _validated_save(task)  # Task.clean() checks that the assignee is a member
        _send_task_changed(task, "created")
    return task


def update_task(
    task: Task,
    *,
    actor: User,
    title: Maybe[str] = UNSET,
    description: Maybe[str] = UNSET,
    status: Maybe[str] = UNSET,
    priority: Maybe[int] = UNSET,
    assignee: Maybe[User | None] = UNSET,
    due_date: Maybe[datetime.date | None] = UNSET,
) -> Task:
    fields = _given(
        title=title,
        description=description,
        status=status,
        priority=priority,
        assignee=assignee,
        due_date=due_date,
    )
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
