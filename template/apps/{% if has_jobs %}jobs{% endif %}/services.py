"""Every write to export jobs and reminder deliveries, and the work the Celery tasks do.

tasks.py only decides when to retry. What a run does, and how a job moves through its states
(pending → running → succeeded | failed), lives here, each step in its own transaction, so a
crash at any point leaves a state the next delivery of the message can pick up from.
"""

import csv
import datetime
import io
import smtplib
import tempfile
import uuid
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.mail import get_connection, send_mail
from django.db import IntegrityError, transaction
from django.db import OperationalError as DatabaseOperationalError
from django.db.models import QuerySet
from django.db.models.functions import Now
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerOperationalError

from apps.projects.models import Project, Task
from apps.users.models import User

from . import selectors
from .models import DeliveryStatus, ExportJob, ExportStatus, ReminderDelivery

IDEMPOTENCY_WINDOW = datetime.timedelta(hours=24)
# Progress is written every this many rows: often enough to watch, rarely enough to be cheap.
PROGRESS_EVERY = 500
# The CSV is built in memory up to this size, then in a temporary file.
SPOOL_MAX_BYTES = 5 * 1024 * 1024
# Failures worth retrying: the database or the storage may well be back in a moment.
TRANSIENT_EXPORT_ERRORS = (DatabaseOperationalError, OSError)
# smtplib.SMTPException is an OSError; both are named for the reader.
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, OSError)

CSV_HEADER = ["title", "status", "priority", "assignee", "due_date", "created_at", "updated_at"]
QUEUE_UNAVAILABLE = "The export could not be queued. Please try again later."


class ExportFailed(Exception):
    """A failure that retrying cannot fix; the message is shown to the requester."""


class QueueUnavailable(Exception):
    """The broker did not accept the job's message; the job is marked failed."""


class DeliveryFailed(Exception):
    """The mail server did not take a reminder; the error is recorded on the delivery."""


# Exports: requests


def request_export(
    project: Project, *, actor: User, idempotency_key: str = ""
) -> tuple[ExportJob, bool]:
    """A pending export of `project`'s tasks for `actor`, and whether it was created now.

    Given the key of a request `actor` made in the last 24 hours, returns that request's job
    instead. The job is committed on return; publish it with enqueue_export().
    """
    if not project.members.filter(pk=actor.pk).exists():
        raise PermissionDenied("Only project members can export its tasks.")
    with transaction.atomic():
        if idempotency_key:
            previous = (
                ExportJob.objects.select_for_update()
                .filter(requested_by=actor, idempotency_key=idempotency_key)
                .first()
            )
            if previous is not None:
                if previous.created_at >= timezone.now() - IDEMPOTENCY_WINDOW:
                    return _replay(previous, project), False
                # Expired: free the key (it is unique per user) for this new request.
                previous.idempotency_key = ""
                previous.save(update_fields=["idempotency_key"])
        try:
            with transaction.atomic():
                job = ExportJob.objects.create(
                    project=project, requested_by=actor, idempotency_key=idempotency_key
                )
        except IntegrityError:
            if not idempotency_key:
                raise
            # A concurrent request with the same key committed first: answer with its job.
            previous = ExportJob.objects.get(requested_by=actor, idempotency_key=idempotency_key)
            return _replay(previous, project), False
    return job, True


def _replay(job: ExportJob, project: Project) -> ExportJob:
    if job.project_id != project.pk:
        raise ValidationError(
            "This Idempotency-Key was already used to export another project.",
            code="idempotency_key_reused",
        )
    return job


def enqueue_export(job: ExportJob) -> None:
    """Publish the job's task. Call it once the job is committed (request_export returned).

    Not deferred with transaction.on_commit: a callback runs when the request can no longer
    be answered, so a broker outage would leave a pending job nobody hears about. Publishing
    here, after the commit, lets a failure become a failed job and a 503 the client sees.
    """
    from .tasks import export_project_tasks  # tasks.py imports this module

    try:
        export_project_tasks.delay(str(job.pk))
    except BrokerOperationalError as exc:
        # The client is told nothing started (a 503): its Idempotency-Key must not replay
        # this refusal, so the key is freed for the retry to start the export.
        job.idempotency_key = ""
        job.save(update_fields=["idempotency_key"])
        fail_export(job, QUEUE_UNAVAILABLE)
        raise QueueUnavailable(QUEUE_UNAVAILABLE) from exc


# Exports: the task's steps


def claim_export(job_id: uuid.UUID) -> ExportJob | None:
    """Mark the job running for this worker; None when there is nothing to do.

    A duplicate or redelivered message finds the job finished (nothing to do) or running:
    running and recently started means another worker has it; started longer ago than the
    hard time limit means its worker died (Celery requeued the message, acks_late), so this
    run takes over.
    """
    stale_before = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status in (ExportStatus.SUCCEEDED, ExportStatus.FAILED):
            return None
        if job.status == ExportStatus.RUNNING and job.started_at and job.started_at > stale_before:
            return None
        job.status = ExportStatus.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.error = ""
        job.save(update_fields=["status", "attempts", "started_at", "error"])
    return job


def write_export(job: ExportJob) -> None:
    """Write the CSV of the project's tasks to storage and mark the job succeeded.

    Raises ExportFailed when the export cannot be made at all; database and storage errors
    propagate for the caller to retry. The file name is fixed per job, so a retry or a
    takeover replaces a partial file instead of leaving another one behind.
    """
    project = Project.objects.filter(pk=job.project_id).first()  # live projects only
    if project is None:
        raise ExportFailed("The project was deleted.")
    if not project.members.filter(pk=job.requested_by_id).exists():
        raise ExportFailed("You are no longer a member of this project.")
    tasks = (
        Task.objects.filter(project=project).select_related("assignee").order_by("created_at", "id")
    )
    job.total_rows = tasks.count()
    job.processed_rows = 0
    job.save(update_fields=["total_rows", "processed_rows"])

    with tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES) as buffer:
        rows = _write_csv(job, tasks, buffer)
        buffer.seek(0)
        name = f"{job.pk}.csv"
        job.file.storage.delete(job.file.field.generate_filename(job, name))
        job.file.save(name, File(buffer), save=False)

    job.status = ExportStatus.SUCCEEDED
    job.processed_rows = job.total_rows = rows
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "processed_rows", "total_rows", "file", "finished_at"])


def _write_csv(job: ExportJob, tasks: QuerySet[Task], buffer: IO[bytes]) -> int:
    text = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    writer = csv.writer(text)
    writer.writerow(CSV_HEADER)
    rows = 0
    for rows, task in enumerate(tasks.iterator(chunk_size=PROGRESS_EVERY), start=1):
        writer.writerow(_csv_row(task))
        if rows % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job.pk).update(processed_rows=rows, updated_at=Now())
    text.flush()
    text.detach()  # leave `buffer` open for the caller
    return rows


def _csv_row(task: Task) -> list[str]:
    return [
        _cell(task.title),
        task.get_status_display(),
        task.get_priority_display(),
        task.assignee.email if task.assignee else "",
        task.due_date.isoformat() if task.due_date else "",
        timezone.localtime(task.created_at).isoformat(),
        timezone.localtime(task.updated_at).isoformat(),
    ]


def _cell(text: str) -> str:
    """Text a spreadsheet would run as a formula, quoted (CSV injection)."""
    return f"'{text}" if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def release_export(job: ExportJob, error: str) -> None:
    """Put a job whose run hit a transient error back to pending, for its retry to claim."""
    job.status = ExportStatus.PENDING
    job.error = error
    job.save(update_fields=["status", "error"])


def fail_export(job: ExportJob, error: str) -> None:
    job.status = ExportStatus.FAILED
    job.error = error
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])


# Reminders


def send_reminder(
    task_id: uuid.UUID, due_date: datetime.date, *, final_attempt: bool
) -> ReminderDelivery | None:
    """E-mail the assignee of a task due on `due_date`, once, however often this runs.

    Returns the delivery, or None when the reminder no longer applies (the task is done,
    gone, unassigned, or its due date moved). Raises DeliveryFailed when the mail server
    refused; the error is recorded, and on the `final_attempt` the delivery is failed for good.

    Three steps: claim the delivery (a short transaction), send with no transaction open (a
    slow mail server holds no row lock and no connection's transaction), record the outcome.
    """
    task = selectors.task_to_remind(task_id)
    if task is None or task.due_date != due_date:
        return None
    assert task.assignee is not None  # task_to_remind only returns assigned tasks
    delivery, claimed = _claim_reminder(task, due_date, recipient=task.assignee)
    if not claimed:
        return delivery
    try:
        send_mail(
            *_reminder_message(task, due_date),
            None,
            [task.assignee.email],
            connection=get_connection(timeout=settings.EMAIL_TIMEOUT),
        )
    except TRANSIENT_MAIL_ERRORS as exc:
        delivery.status = DeliveryStatus.FAILED if final_attempt else DeliveryStatus.PENDING
        delivery.error = f"{type(exc).__name__}: {exc}"
        delivery.save(update_fields=["status", "error"])
        raise DeliveryFailed(delivery.error) from exc
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = timezone.now()
    delivery.error = ""
    delivery.save(update_fields=["status", "sent_at", "error"])
    return delivery


def _claim_reminder(
    task: Task, due_date: datetime.date, *, recipient: User
) -> tuple[ReminderDelivery, bool]:
    """The task's delivery for `due_date`, and whether this run is to send it.

    Not when it was sent or failed for good, nor while another run is sending it; a claim
    older than the hard time limit belongs to a run that died (Celery requeued its message,
    acks_late), so this run takes over.
    """
    stale_before = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    with transaction.atomic():
        delivery, _ = ReminderDelivery.objects.select_for_update().get_or_create(
            task=task, due_date=due_date, defaults={"recipient": recipient}
        )
        if delivery.status in (DeliveryStatus.SENT, DeliveryStatus.FAILED):
            return delivery, False
        claimed_at = delivery.claimed_at
        if delivery.status == DeliveryStatus.SENDING and claimed_at and claimed_at > stale_before:
            return delivery, False
        delivery.status = DeliveryStatus.SENDING
        delivery.recipient = recipient
        delivery.attempts += 1
        delivery.claimed_at = timezone.now()
        delivery.save(update_fields=["status", "recipient", "attempts", "claimed_at"])
    return delivery, True


def _reminder_message(task: Task, due_date: datetime.date) -> tuple[str, str]:
    # A header cannot span lines: fold any whitespace in the title into single spaces.
    title = " ".join(task.title.split())
    subject = f"Reminder: {title} is due on {due_date.isoformat()}"
    body = (
        f'Your task "{title}" in the project "{task.project.name}" '
        f"is due on {due_date.isoformat()}.\n"
    )
    return subject, body
