"""Records of background work: CSV exports people ask for, and due-date reminders sent.

Each row is the durable state of a Celery task, so a task can be redelivered, retried or run
twice and still do its work once, and so people (and staff in the admin) can see how it went.
"""

from django.conf import settings
from django.db import models

from apps.core.models import BaseModel
from apps.projects.models import Project, Task
from apps.projects.scope import ScopedModel, per_scope

IDEMPOTENCY_KEY_MAX_LENGTH = 255


class ExportStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class ExportJob(ScopedModel):
    """A CSV export of a project's tasks, written by tasks.export_project_tasks."""

    Status = ExportStatus

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="export_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    status = models.CharField(max_length=20, choices=ExportStatus, default=ExportStatus.PENDING)
    processed_rows = models.PositiveIntegerField(default=0)
    total_rows = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to="exports/", blank=True)
    # Shown to the requester as is: a sentence, never a traceback.
    error = models.TextField(blank=True)
    # How many times a worker started on it (retries and redeliveries included).
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The client's Idempotency-Key header: the same key within a day means the same export.
    idempotency_key = models.CharField(
        max_length=IDEMPOTENCY_KEY_MAX_LENGTH, blank=True, editable=False
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Two concurrent requests with one key cannot both create a job.
            models.UniqueConstraint(
                fields=per_scope("requested_by", "idempotency_key"),
                condition=~models.Q(idempotency_key=""),
                name="jobs_exportjob_idempotency_key_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["requested_by", "created_at"], name="jobs_export_requester_idx"),
        ]

    def __str__(self) -> str:
        return f"Export of {self.project_id} ({self.status})"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class ReminderDelivery(BaseModel):
    """The reminder e-mail for one task and one due date: sent at most once."""

    Status = DeliveryStatus

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    # The due date the reminder is about: moving the task's date calls for a new reminder.
    due_date = models.DateField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="task_reminders"
    )
    status = models.CharField(max_length=20, choices=DeliveryStatus, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    # When a run claimed it to send (status "sending"); another run takes over a stale claim.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "reminder deliveries"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "due_date"], name="jobs_reminder_once_unique"),
        ]

    def __str__(self) -> str:
        return f"Reminder for {self.task_id} due {self.due_date} ({self.status})"
