"""The whole path through a real worker: API → Redis → worker → storage → API."""

import threading
from http import HTTPStatus
from typing import Any

import pytest
from celery.signals import task_postrun
from django.db import connection

from .conftest import expected_csv


@pytest.fixture
def export_finished() -> Any:
    """Set when a worker finishes an export attempt for good (success or failure, not retry)."""
    done = threading.Event()

    def on_postrun(sender: Any = None, state: str | None = None, **kwargs: Any) -> None:
        finished = state in ("SUCCESS", "FAILURE")
        if finished and sender is not None and sender.name.endswith("export_project_tasks"):
            done.set()

    task_postrun.connect(on_postrun, weak=False)
    yield done
    task_postrun.disconnect(on_postrun)


def test_an_export_runs_on_a_real_worker(
    celery_worker, export_finished, auth_client, project, tasks
):
    if connection.vendor == "sqlite":
        # The SQLite test database is shared in memory between threads, where a writer that
        # meets another thread's read lock fails at once ("table is locked") instead of waiting.
        pytest.skip("a worker thread writing beside the test needs PostgreSQL (DATABASE_URL)")
    response = auth_client.post(f"/api/v1/projects/{project.pk}/exports/")
    assert response.status_code == HTTPStatus.ACCEPTED, response.json()

    assert export_finished.wait(timeout=30), "the worker did not finish the export in 30 s"
    body = auth_client.get(response["Location"]).json()
    assert body["status"] == "succeeded", body
    assert (body["processed_rows"], body["total_rows"]) == (3, 3)

    download = auth_client.get(body["download_url"])
    assert download.status_code == HTTPStatus.OK
    assert b"".join(download.streaming_content).decode() == expected_csv(project)
