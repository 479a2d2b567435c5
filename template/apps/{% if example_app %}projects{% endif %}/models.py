"""Projects, their members, and the tasks inside them.

Models hold data and the invariants the database can check; the rules that need an actor
(who may do what) and the side effects of a change live in services.py.
"""

from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models.functions import Lower

from apps.core.models import BaseModel, SoftDeleteModel


class Project(SoftDeleteModel):
    """A group of tasks shared by its members. The owner is always a member too."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # PROTECT: a project must always have an owner, so deleting a user who still owns
    # projects fails until ownership moves (or the projects go) instead of orphaning them.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_projects"
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="projects", blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            # Case-insensitive, and only among live projects: a deleted project frees its name.
            models.UniqueConstraint(
                models.F("owner"),
                Lower("name"),
                name="projects_project_owner_name_ci_unique",
                condition=models.Q(deleted_at__isnull=True),
                violation_error_code="duplicate_name",
                violation_error_message="You already have a project with this name.",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "created_at"], name="projects_owner_created_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            # The constraint spans owner and name, so Django reports it for the whole object;
            # attach it to `name`, the field a person can change to fix it.
            errors = exc.update_error_dict({})
            general = errors.pop(NON_FIELD_ERRORS, [])
            for error in general:
                target = "name" if getattr(error, "code", None) == "duplicate_name" else None
                errors.setdefault(target or NON_FIELD_ERRORS, []).append(error)
            raise ValidationError(errors) from exc


class TaskStatus(models.TextChoices):
    TODO = "todo", "To do"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class TaskPriority(models.IntegerChoices):
    LOW = 1, "Low"
    MEDIUM = 2, "Medium"
    HIGH = 3, "High"
    URGENT = 4, "Urgent"


class Task(BaseModel):
    Status = TaskStatus
    Priority = TaskPriority

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=TaskStatus, default=TaskStatus.TODO)
    priority = models.PositiveSmallIntegerField(choices=TaskPriority, default=TaskPriority.MEDIUM)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tasks",
    )
    due_date = models.DateField(null=True, blank=True)
    # SET_NULL, not PROTECT: who wrote a task is history, not ownership. Deleting a user
    # (say, an erasure request) must neither be blocked by nor take down tasks that live in
    # other people's projects; the task stays and just loses its author.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="created_tasks",
    )
    # Set by services.sync_completed_at when the status becomes done, cleared when reopened.
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Computed by the database on every write, so "open tasks" filters can use an index.
    is_open = models.GeneratedField(
        expression=models.Case(
            models.When(status=TaskStatus.DONE, then=models.Value(False)),
            default=models.Value(True),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )

    class Meta:
        # Most urgent first: soonest due date (undated last on every database), then priority.
        ordering = [models.F("due_date").asc(nulls_last=True), "-priority", "-created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(priority__gte=TaskPriority.LOW)
                & models.Q(priority__lte=TaskPriority.URGENT),
                name="projects_task_priority_range",
                violation_error_message="Priority must be between 1 (low) and 4 (urgent).",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "status"], name="projects_task_status_idx"),
            models.Index(
                fields=["assignee", "is_open", "due_date"], name="projects_task_assignee_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if (
            self.assignee_id is not None
            and self.project_id is not None
            and not self.project.members.filter(pk=self.assignee_id).exists()
        ):
            raise ValidationError(
                {
                    "assignee": ValidationError(
                        "The assignee must be a member of the project.", code="not_a_member"
                    )
                }
            )
