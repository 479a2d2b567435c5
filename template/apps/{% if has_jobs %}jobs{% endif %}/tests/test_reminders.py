import datetime
import smtplib
import uuid
from typing import Any

import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from apps.jobs import services
from apps.jobs import tasks as job_tasks
from apps.jobs.models import ReminderDelivery
from apps.jobs.tasks import send_due_soon_reminders, send_task_reminder
from apps.projects.models import Project, Task
from apps.projects.tests.factories import ProjectFactory, TaskFactory
from apps.users.models import User
from apps.users.services import deactivate_user
from apps.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def in_days(days: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=days)


def due_task(project: Project, assignee: User | None, days: int = 0, **fields: Any) -> Task:
    return TaskFactory.create(project=project, assignee=assignee, due_date=in_days(days), **fields)


def remind(task: Task, due_date: datetime.date | None = None) -> None:
    send_task_reminder.delay(str(task.pk), (due_date or task.due_date or TODAY()).isoformat())


def remind_by_id(task_id: uuid.UUID, due_date: datetime.date) -> None:
    send_task_reminder.delay(str(task_id), due_date.isoformat())


def test_the_schedule_enqueues_exactly_the_tasks_due_today_or_tomorrow(
    project, member, monkeypatch
):
    sent = due_task(project, member, 0)
    sent_before = due_task(project, member, 1)
    ReminderDelivery.objects.create(
        task=sent_before, due_date=in_days(-3), recipient=member, status="sent"
    )  # an old due date: the new one still gets its reminder
    wanted = [
        due_task(project, member, 0, status=Task.Status.IN_PROGRESS),
        due_task(project, member, 1),
        sent_before,
    ]
    ReminderDelivery.objects.create(task=sent, due_date=in_days(0), recipient=member, status="sent")
    failed = due_task(project, member, 0)
    ReminderDelivery.objects.create(
        task=failed, due_date=in_days(0), recipient=member, status="failed"
    )
    gone = ProjectFactory.create(members=[member])
    inactive = UserFactory.create(is_active=False)
    project.members.add(inactive)
    due_task(project, member, 2)  # later
    due_task(project, member, -1)  # overdue: the due-soon list shows it, no new reminder
    due_task(project, member, 0, status=Task.Status.DONE)
    due_task(project, None, 0)  # unassigned
    due_task(project, inactive, 0)
    due_task(gone, member, 0)
    gone.soft_delete()
    TaskFactory.create(project=project, assignee=member)  # no due date

    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(send_task_reminder, "delay", lambda *args: calls.append(args))
    assert send_due_soon_reminders.delay().get() == 3
    assert sorted(calls) == sorted((str(task.pk), str(task.due_date)) for task in wanted)


def test_a_reminder_is_mailed_to_the_assignee(project, member):
    task = due_task(project, member, 1, title="Write\ncopy")
    remind(task)
    [message] = mail.outbox
    assert message.to == [member.email]
    assert message.subject == f"Reminder: Write copy is due on {in_days(1).isoformat()}"
    assert message.body == (
        f'Your task "Write copy" in the project "Website relaunch" is due on {in_days(1)}.\n'
    )
    delivery = ReminderDelivery.objects.get()
    assert (delivery.task, delivery.due_date, delivery.recipient) == (task, in_days(1), member)
    assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 1, "")
    assert delivery.sent_at is not None


def test_a_reminder_is_sent_once_however_often_it_runs(project, member):
    task = due_task(project, member, 0)
    remind(task)
    remind(task)
    send_due_soon_reminders.delay()  # beat firing again
    assert len(mail.outbox) == 1
    delivery = ReminderDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("sent", 1)


def test_a_moved_due_date_gets_its_own_reminder(project, member):
    task = due_task(project, member, 0)
    remind(task)
    Task.objects.filter(pk=task.pk).update(due_date=in_days(1))
    remind(task, in_days(0))  # the old date's message, late: no longer applies
    assert len(mail.outbox) == 1
    send_due_soon_reminders.delay()
    assert len(mail.outbox) == 2
    assert ReminderDelivery.objects.filter(task=task, status="sent").count() == 2


@pytest.mark.parametrize("change", ["done", "unassigned", "deleted", "left", "deactivated"])
def test_no_reminder_once_it_no_longer_applies(project, member, change):
    task = due_task(project, member, 0)
    task_id = task.pk
    if change == "done":
        Task.objects.filter(pk=task.pk).update(status=Task.Status.DONE)
    elif change == "unassigned":
        Task.objects.filter(pk=task.pk).update(assignee=None)
    elif change == "left":
        # No longer a member, by a path that left the assignment behind.
        project.members.remove(member)
    elif change == "deactivated":
        deactivate_user(member)
    else:
        task.delete()
    remind_by_id(task_id, in_days(0))
    assert mail.outbox == []
    assert not ReminderDelivery.objects.exists()


def test_an_unknown_task_is_ignored():
    remind_by_id(uuid.uuid4(), TODAY())
    assert mail.outbox == []


@pytest.fixture
def smtp_failures(monkeypatch: pytest.MonkeyPatch, eager_retries: None) -> list[int]:
    """send_mail fails `smtp_failures[0]` times, then works; the retries' delays are recorded."""
    plan = [0]
    real_send = services.send_mail

    def flaky(*args: Any, **kwargs: Any) -> int:
        if plan[0] > 0:
            plan[0] -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real_send(*args, **kwargs)

    monkeypatch.setattr(services, "send_mail", flaky)
    monkeypatch.setattr(job_tasks, "retry_delay", lambda retries: 0)
    return plan


def test_a_transient_smtp_error_is_retried_then_sent(project, member, smtp_failures):
    smtp_failures[0] = 2
    remind(due_task(project, member, 0))
    assert len(mail.outbox) == 1
    delivery = ReminderDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 3, "")


def test_a_reminder_that_never_goes_out_is_failed_with_its_error(project, member, smtp_failures):
    smtp_failures[0] = 100
    task = due_task(project, member, 0)
    remind(task)
    delivery = ReminderDelivery.objects.get()
    assert delivery.status == ReminderDelivery.Status.FAILED
    assert delivery.attempts == job_tasks.MAX_RETRIES + 1
    assert delivery.error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert smtp_failures[0] == 100 - delivery.attempts
    remind(task)  # failed for good: not tried again
    assert ReminderDelivery.objects.get().attempts == job_tasks.MAX_RETRIES + 1
    assert mail.outbox == []


@override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_TIMEOUT=7)
def test_the_mail_is_sent_with_no_transaction_open(project, member, monkeypatch):
    """A slow mail server holds no row lock: the claim is committed before sending, the
    outcome recorded after, and the wait is bounded by EMAIL_TIMEOUT."""
    task = due_task(project, member, 0)
    depth = len(connection.atomic_blocks)  # the test's own transaction
    seen: list[tuple[int, str, float | None]] = []

    def send(*args: Any, **kwargs: Any) -> int:
        status = ReminderDelivery.objects.get(task=task).status
        seen.append((len(connection.atomic_blocks), status, kwargs["connection"].timeout))
        return 1

    monkeypatch.setattr(services, "send_mail", send)
    remind(task)
    assert seen == [(depth, "sending", 7)]
    assert ReminderDelivery.objects.get().status == "sent"


def test_a_reminder_another_run_is_sending_is_left_to_it(project, member):
    task = due_task(project, member, 0)
    ReminderDelivery.objects.create(
        task=task,
        due_date=in_days(0),
        recipient=member,
        status="sending",
        attempts=1,
        claimed_at=timezone.now(),
    )
    remind(task)
    assert mail.outbox == []
    assert ReminderDelivery.objects.get().attempts == 1


def test_the_claim_of_a_run_that_died_is_taken_over(project, member):
    task = due_task(project, member, 0)
    died_at = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    ReminderDelivery.objects.create(
        task=task,
        due_date=in_days(0),
        recipient=member,
        status="sending",
        attempts=1,
        claimed_at=died_at,
    )
    send_due_soon_reminders.delay()  # the schedule offers it again
    assert len(mail.outbox) == 1
    delivery = ReminderDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("sent", 2)


def test_a_failed_send_is_retried_without_sending_the_recorded_ones_again(
    project, member, monkeypatch
):
    sent = due_task(project, member, 0, title="Sent")
    refused = due_task(project, member, 1, title="Refused")
    remind(sent)

    def refuse(*args: Any, **kwargs: Any) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    with monkeypatch.context() as patch:
        patch.setattr(services, "send_mail", refuse)
        with pytest.raises(Retry):
            remind(refused)
    delivery = ReminderDelivery.objects.get(task=refused)
    assert (delivery.status, delivery.attempts) == ("pending", 1)  # free for the retry

    remind(refused)  # the retry
    remind(sent)  # a duplicate message
    send_due_soon_reminders.delay()
    assert sorted(message.subject.split()[1] for message in mail.outbox) == ["Refused", "Sent"]
    assert ReminderDelivery.objects.get(task=refused).attempts == 2
