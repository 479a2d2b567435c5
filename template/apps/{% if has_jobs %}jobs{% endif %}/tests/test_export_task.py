import datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.utils import timezone

from apps.jobs import services
from apps.jobs import tasks as job_tasks
from apps.jobs.models import ExportJob
from apps.jobs.tasks import export_project_tasks
from apps.projects.models import Task

from .conftest import expected_csv

pytestmark = pytest.mark.django_db


def run(job: ExportJob) -> ExportJob:
    export_project_tasks.delay(str(job.pk))
    job.refresh_from_db()
    return job


def export_files() -> list[str]:
    return sorted(path.name for path in (Path(settings.MEDIA_ROOT) / "exports").iterdir())


def test_the_task_writes_the_csv_and_succeeds(job, tasks):
    job = run(job)
    assert job.status == ExportJob.Status.SUCCEEDED
    assert (job.attempts, job.processed_rows, job.total_rows, job.error) == (1, 3, 3, "")
    assert job.started_at is not None
    assert job.finished_at is not None
    assert job.file.name == f"exports/{job.pk}.csv"
    content = job.file.read().decode()
    assert content == expected_csv(job.project)
    # A title a spreadsheet would evaluate is quoted (CSV injection).
    assert "\r\n'=HYPERLINK(1),To do,Medium,," in content
    assert "Write copy,In progress,High,member@example.com,2030-01-31," in content


def test_an_empty_project_exports_just_the_header(job):
    job = run(job)
    assert job.status == ExportJob.Status.SUCCEEDED
    assert job.file.read().decode() == expected_csv(job.project)
    assert (job.processed_rows, job.total_rows) == (0, 0)


def test_progress_is_saved_every_n_rows(job, tasks, monkeypatch):
    monkeypatch.setattr(services, "PROGRESS_EVERY", 2)
    Task.objects.bulk_create(Task(project=job.project, title=f"More {n}") for n in range(2))
    seen: list[int] = []
    write_row = services._csv_row

    def spy(task: Task) -> list[str]:
        seen.append(ExportJob.objects.get(pk=job.pk).processed_rows)
        return write_row(task)

    monkeypatch.setattr(services, "_csv_row", spy)
    assert run(job).processed_rows == 5
    assert seen == [0, 0, 2, 2, 4]


def test_a_duplicate_message_changes_nothing(job, tasks):
    first = run(job)
    second = run(job)
    assert second.status == ExportJob.Status.SUCCEEDED
    assert (second.attempts, second.finished_at, second.file.name) == (
        1,
        first.finished_at,
        first.file.name,
    )
    assert export_files() == [f"{job.pk}.csv"]


def test_a_failed_job_is_not_run_again(job):
    services.fail_export(job, "Gone.")
    assert (run(job).status, job.attempts, job.error) == ("failed", 0, "Gone.")


def test_a_running_job_of_a_live_worker_is_left_alone(job):
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING, attempts=1, started_at=timezone.now()
    )
    job = run(job)
    assert (job.status, job.attempts, job.file.name) == ("running", 1, "")


def test_a_running_job_of_a_dead_worker_is_taken_over(job, tasks):
    # A partial file from the dead worker, under the job's file name.
    default_storage.save(f"exports/{job.pk}.csv", ContentFile(b"title\r\nhalf a ro"))
    started = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING, attempts=1, started_at=started
    )
    job = run(job)
    assert (job.status, job.attempts) == ("succeeded", 2)
    assert export_files() == [f"{job.pk}.csv"]  # replaced, not one more
    assert job.file.read().decode() == expected_csv(job.project)


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch, eager_retries: None) -> list[int]:
    """Record the retries' delays (eager retries run at once anyway)."""
    delays: list[int] = []
    real = job_tasks.retry_delay

    def record(retries: int) -> int:
        delays.append(delay := real(retries))
        return delay

    monkeypatch.setattr(job_tasks, "retry_delay", record)
    return delays


def failing_storage(monkeypatch: pytest.MonkeyPatch, times: int) -> list[int]:
    """Make the storage's save raise OSError the first `times` calls; returns the call log."""
    calls: list[int] = []
    save = FileSystemStorage.save

    def flaky(self: FileSystemStorage, *args: Any, **kwargs: Any) -> str:
        calls.append(1)
        if len(calls) <= times:
            raise OSError(28, "No space left on device")
        return save(self, *args, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", flaky)
    return calls


def test_a_transient_error_is_retried_then_succeeds(job, tasks, monkeypatch, no_backoff):
    calls = failing_storage(monkeypatch, times=1)
    job = run(job)
    assert (job.status, job.attempts, job.error) == ("succeeded", 2, "")
    assert len(calls) == 2
    assert len(no_backoff) == 1
    assert 0 <= no_backoff[0] <= job_tasks.RETRY_BACKOFF
    assert job.file.read().decode() == expected_csv(job.project)


def test_transient_errors_give_up_after_the_last_retry(job, tasks, monkeypatch, no_backoff):
    calls = failing_storage(monkeypatch, times=100)
    job = run(job)
    assert job.status == ExportJob.Status.FAILED
    assert job.error == "The export could not be written (storage or database unavailable)."
    assert job.attempts == len(calls) == job_tasks.MAX_RETRIES + 1
    assert len(no_backoff) == job_tasks.MAX_RETRIES
    assert job.finished_at is not None


def test_retry_delays_grow_with_jitter_and_a_cap():
    for retries, ceiling in [(0, 5), (1, 10), (3, 40), (20, job_tasks.RETRY_BACKOFF_MAX)]:
        delays = {job_tasks.retry_delay(retries) for _ in range(50)}
        assert all(0 <= delay <= ceiling for delay in delays)
        assert len(delays) > 1  # jittered, not a fixed schedule


def test_a_deleted_project_fails_for_good(job, tasks, no_backoff):
    job.project.soft_delete()
    job = run(job)
    assert (job.status, job.error, job.attempts) == ("failed", "The project was deleted.", 1)
    assert no_backoff == []


def test_a_requester_who_left_the_project_gets_no_export(job, member):
    job.project.members.remove(job.requested_by)
    job = run(job)
    assert (job.status, job.error) == ("failed", "You are no longer a member of this project.")


def test_an_unexpected_error_fails_without_retrying(job, tasks, monkeypatch, no_backoff):
    def broken(task: Task) -> list[str]:
        raise ValueError("bug")

    monkeypatch.setattr(services, "_csv_row", broken)
    job = run(job)
    assert (job.status, job.error, job.attempts) == (
        "failed",
        "The export failed unexpectedly.",
        1,
    )
    assert no_backoff == []
