import datetime
from collections.abc import Callable
from http import HTTPStatus

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError
from rest_framework.test import APIClient

from apps.core.tests.scope import REQUEST_QUERIES
from apps.jobs.models import ExportJob
from apps.jobs.tasks import export_project_tasks
from apps.projects.models import Project, Task
from apps.projects.tests.factories import ProjectFactory, TaskFactory
from apps.projects.tests.helpers import ONE_PAGE
from apps.users.models import User

from .conftest import expected_csv

pytestmark = pytest.mark.django_db


def export_url(project: Project) -> str:
    return f"/api/v1/projects/{project.pk}/exports/"


def test_requesting_an_export_answers_202_with_where_to_follow_it(auth_client, project, user):
    response = auth_client.post(export_url(project))
    assert response.status_code == HTTPStatus.ACCEPTED, response.json()
    job = ExportJob.objects.get()
    url = f"http://testserver/api/v1/exports/{job.pk}/"
    assert response.json() == {"id": str(job.pk), "status": "pending", "url": url}
    assert response["Location"] == url
    assert (job.project, job.requested_by) == (project, user)


def test_any_member_may_export(member_client, project, member):
    assert member_client.post(export_url(project)).status_code == HTTPStatus.ACCEPTED
    assert ExportJob.objects.get().requested_by == member


def test_outsiders_and_anonymous_cannot_export(outsider_client, api_client, project):
    response = outsider_client.post(export_url(project))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["errors"][0]["code"] == "not_found"
    assert api_client.post(export_url(project)).status_code == HTTPStatus.UNAUTHORIZED
    assert not ExportJob.objects.exists()


def test_a_deleted_project_cannot_be_exported(auth_client, project):
    project.soft_delete()
    assert auth_client.post(export_url(project)).status_code == HTTPStatus.NOT_FOUND


def test_the_export_runs_and_its_file_downloads(auth_client, project, tasks):
    url = auth_client.post(export_url(project))["Location"]

    status = auth_client.get(url)
    assert status.status_code == HTTPStatus.OK
    body = status.json()
    assert body["status"] == "succeeded"
    assert (body["processed_rows"], body["total_rows"], body["error"]) == (3, 3, "")
    assert body["project"] == {"id": str(project.pk), "name": "Website relaunch"}
    assert body["download_url"] == f"{url}download/"

    download = auth_client.get(body["download_url"], HTTP_ACCEPT="text/csv")
    assert download.status_code == HTTPStatus.OK
    assert download["Content-Type"] == "text/csv"
    today = timezone.localdate().isoformat()
    assert download["Content-Disposition"] == (
        f'attachment; filename="website-relaunch-tasks-{today}.csv"'
    )
    assert b"".join(download.streaming_content).decode() == expected_csv(project)


def test_the_status_shows_progress_and_no_download_until_done(auth_client, job):
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING, processed_rows=500, total_rows=1200
    )
    body = auth_client.get(f"/api/v1/exports/{job.pk}/").json()
    assert (body["status"], body["processed_rows"], body["total_rows"]) == (
        "running",
        HTTPStatus.INTERNAL_SERVER_ERROR,
        1200,
    )
    assert body["download_url"] is None
    response = auth_client.get(f"/api/v1/exports/{job.pk}/download/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == "application/json"


def test_a_failed_export_shows_its_error(auth_client, job):
    job.project.soft_delete()
    export_project_tasks.delay(str(job.pk))
    body = auth_client.get(f"/api/v1/exports/{job.pk}/").json()
    assert (body["status"], body["error"], body["download_url"]) == (
        "failed",
        "The project was deleted.",
        None,
    )


def test_only_the_requester_sees_or_downloads_an_export(member_client, outsider_client, job):
    export_project_tasks.delay(str(job.pk))
    for client in (member_client, outsider_client):  # a fellow member is no exception
        for suffix in ("", "download/"):
            assert (
                client.get(f"/api/v1/exports/{job.pk}/{suffix}").status_code == HTTPStatus.NOT_FOUND
            )
        assert client.get("/api/v1/exports/").json()["results"] == []
    assert APIClient().get(f"/api/v1/exports/{job.pk}/").status_code == HTTPStatus.UNAUTHORIZED


def test_the_list_has_my_exports_newest_first(auth_client, user, project, member):
    older = ExportJob.objects.create(project=project, requested_by=user)
    ExportJob.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    newer = ExportJob.objects.create(project=project, requested_by=user)
    ExportJob.objects.create(project=project, requested_by=member)
    body = auth_client.get("/api/v1/exports/", ONE_PAGE).json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [str(newer.pk), str(older.pk)]


class TestIdempotencyKey:
    def post(self, client: APIClient, project: Project, key: str):
        return client.post(export_url(project), HTTP_IDEMPOTENCY_KEY=key)

    def test_the_same_key_returns_the_same_job(self, auth_client, project):
        first = self.post(auth_client, project, "key-1")
        again = self.post(auth_client, project, "key-1")
        assert (first.status_code, again.status_code) == (HTTPStatus.ACCEPTED, HTTPStatus.OK)
        assert again.json()["id"] == first.json()["id"]
        assert again["Location"] == first["Location"]
        assert ExportJob.objects.count() == 1
        assert self.post(auth_client, project, "key-2").status_code == HTTPStatus.ACCEPTED
        assert ExportJob.objects.count() == 2

    def test_keys_belong_to_one_user(self, auth_client, member_client, project):
        self.post(auth_client, project, "shared")
        assert self.post(member_client, project, "shared").status_code == HTTPStatus.ACCEPTED
        assert ExportJob.objects.count() == 2

    def test_a_key_expires_after_a_day(self, auth_client, project):
        first = self.post(auth_client, project, "key").json()["id"]
        ExportJob.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
        again = self.post(auth_client, project, "key")
        assert again.status_code == HTTPStatus.ACCEPTED
        assert again.json()["id"] != first
        assert ExportJob.objects.get(pk=first).idempotency_key == ""

    def test_a_key_cannot_be_reused_for_another_project(self, auth_client, user, project):
        self.post(auth_client, project, "key")
        other = ProjectFactory.create(owner=user)
        response = self.post(auth_client, other, "key")
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json()["errors"][0]["code"] == "idempotency_key_reused"

    def test_an_overlong_key_is_refused(self, auth_client, project):
        assert self.post(auth_client, project, "k" * 256).status_code == HTTPStatus.BAD_REQUEST
        assert not ExportJob.objects.exists()


def test_broker_down_answers_503_and_the_job_is_failed(auth_client, project, monkeypatch):
    def refuse(*args: object) -> None:
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(export_project_tasks, "delay", refuse)
    # A 5xx is reported like a crash (got_request_exception, for error monitoring), which the
    # test client would re-raise; this test wants the response the client gets.
    auth_client.raise_request_exception = False
    response = auth_client.post(export_url(project))
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == {
        "type": "server_error",
        "errors": [
            {
                "code": "queue_unavailable",
                "detail": "Exports cannot be started right now. Please try again later.",
                "attr": None,
            }
        ],
    }
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED
    assert job.error == "The export could not be queued. Please try again later."
    assert job.finished_at is not None


def test_a_key_whose_request_was_refused_starts_the_export_on_retry(
    auth_client, project, monkeypatch
):
    def refuse(*args: object) -> None:
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    auth_client.raise_request_exception = False
    with monkeypatch.context() as patch:
        patch.setattr(export_project_tasks, "delay", refuse)
        refused = auth_client.post(export_url(project), HTTP_IDEMPOTENCY_KEY="retry-me")
    assert refused.status_code == HTTPStatus.SERVICE_UNAVAILABLE

    # The broker is back: the same key starts an export instead of replaying the 503's job.
    monkeypatch.setattr(export_project_tasks, "delay", lambda *args: None)
    retried = auth_client.post(export_url(project), HTTP_IDEMPOTENCY_KEY="retry-me")
    assert retried.status_code == HTTPStatus.ACCEPTED, retried.json()
    job = ExportJob.objects.get(pk=retried.json()["id"])
    assert (job.status, job.idempotency_key) == (ExportJob.Status.PENDING, "retry-me")
    assert ExportJob.objects.filter(status=ExportJob.Status.FAILED).count() == 1
    again = auth_client.post(export_url(project), HTTP_IDEMPOTENCY_KEY="retry-me")
    assert (again.status_code, again.json()["id"]) == (HTTPStatus.OK, str(job.pk))


def add_exports(user: User) -> Callable[[int], None]:
    def add(count: int) -> None:
        for _ in range(count):
            project = ProjectFactory.create(owner=user)
            TaskFactory.create(project=project)
            ExportJob.objects.create(project=project, requested_by=user)

    return add


def test_list_queries_do_not_grow_with_rows(auth_client, user, django_assert_num_queries):
    add = add_exports(user)
    add(3)
    # 1 COUNT for the paginator, 1 for the jobs joined to their project.
    with django_assert_num_queries(REQUEST_QUERIES + 2):
        assert len(auth_client.get("/api/v1/exports/", ONE_PAGE).json()["results"]) == 3
    add(27)
    with django_assert_num_queries(REQUEST_QUERIES + 2):
        assert len(auth_client.get("/api/v1/exports/", ONE_PAGE).json()["results"]) == 30


def test_exporting_touches_no_other_projects_tasks(auth_client, project, tasks):
    TaskFactory.create(title="Elsewhere")
    auth_client.post(export_url(project))
    job = ExportJob.objects.get()
    assert "Elsewhere" not in job.file.read().decode()
    assert Task.objects.count() == 4
