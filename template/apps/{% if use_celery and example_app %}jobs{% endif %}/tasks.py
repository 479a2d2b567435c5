"""Celery tasks of the jobs app.

Delivery is at least once (acks_late), so every task is idempotent: its durable state is a
database row (ExportJob, ReminderDelivery) that a duplicate or redelivered message checks
first; the result backend has nothing to add, so their results are not stored. Transient
failures are retried with exponential backoff and full jitter, a bounded number of times;
then the row is marked failed, with the reason, for people to see.
"""

import datetime
import logging
import uuid
from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.utils.time import get_exponential_backoff_interval
from django.utils import timezone

from . import selectors, services

logger = logging.getLogger(__name__)

MAX_RETRIES = 5
RETRY_BACKOFF = 5  # seconds before the first retry, doubling each time
RETRY_BACKOFF_MAX = 10 * 60


def retry_delay(retries: int) -> int:
    """Seconds to wait before retry number `retries` + 1: random, up to 5 s, 10 s, 20 s, …

    The jitter spreads the retries of many tasks that failed together (say, a database
    restart), so they do not all come back at the same moment.
    """
    return get_exponential_backoff_interval(
        factor=RETRY_BACKOFF, retries=retries, maximum=RETRY_BACKOFF_MAX, full_jitter=True
    )


@shared_task(bind=True, max_retries=MAX_RETRIES, ignore_result=True)
def export_project_tasks(self: Any, job_id: str) -> None:
    """Write the CSV of an ExportJob. Routed to the "slow" queue (CELERY_TASK_ROUTES)."""
    job = services.claim_export(uuid.UUID(job_id))
    if job is None:
        return  # finished already, or another worker is on it
    try:
        services.write_export(job)
    except services.TRANSIENT_EXPORT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            logger.error("Export %s failed after %s attempts: %r", job_id, job.attempts, exc)
            services.fail_export(
                job, "The export could not be written (storage or database unavailable)."
            )
            return
        services.release_export(job, f"Retrying after a temporary error ({type(exc).__name__}).")
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries)) from exc
    except services.ExportFailed as exc:
        services.fail_export(job, str(exc))
    except SoftTimeLimitExceeded:
        services.fail_export(job, "The export took too long.")
    except Exception:
        # Not retried: an unknown error is as likely to happen again. Staff see the traceback
        # in the logs; the requester sees a sentence.
        logger.exception("Export %s failed", job_id)
        services.fail_export(job, "The export failed unexpectedly.")


@shared_task
def send_due_soon_reminders() -> int:
    """Enqueue a reminder for every open, assigned task due today or tomorrow (beat, hourly).

    One message per task, so a slow or failing mail server holds up only that reminder.
    Returns how many were enqueued.
    """
    today = timezone.localdate()  # the project's TIME_ZONE calendar
    due = selectors.tasks_to_remind(today, today + datetime.timedelta(days=1))
    count = 0
    # Only ids and dates travel: each reminder loads its task afresh when it runs.
    for task_id, due_date in due.values_list("pk", "due_date").iterator():
        assert due_date is not None  # tasks_to_remind filters on it
        send_task_reminder.delay(str(task_id), due_date.isoformat())
        count += 1
    return count


@shared_task(bind=True, max_retries=MAX_RETRIES, ignore_result=True)
def send_task_reminder(self: Any, task_id: str, due_date: str) -> None:
    """E-mail a task's assignee that it is due on `due_date` (ISO), at most once per date."""
    final_attempt = self.request.retries >= self.max_retries
    try:
        services.send_reminder(
            uuid.UUID(task_id),
            datetime.date.fromisoformat(due_date),
            final_attempt=final_attempt,
        )
    except services.DeliveryFailed as exc:
        if final_attempt:
            logger.error("Reminder for task %s gave up: %s", task_id, exc)
            return
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries)) from exc
