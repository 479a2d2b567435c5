"""Exports go through the media storage that every process shares, and survive its loss."""

from collections.abc import Iterator
from http import HTTPStatus
from typing import Any

import pytest
from django.core.files.storage import storages
from moto import mock_aws
from rest_framework.test import APIClient

from apps.jobs.models import ExportJob
from apps.projects.models import Project

pytestmark = pytest.mark.django_db

BUCKET = "exports-test"


@pytest.fixture
def object_storage(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The production setup with AWS_STORAGE_BUCKET_NAME, on moto's in-process S3."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": BUCKET, "default_acl": None},
            },
        }
        storage: Any = storages["default"]  # django-storages' S3Storage
        storage.bucket.create()
        yield


def export(client: APIClient, project: Project) -> dict[str, Any]:
    url = client.post(f"/api/v1/projects/{project.pk}/exports/")["Location"]
    body: dict[str, Any] = client.get(url).json()
    assert body["status"] == "succeeded", body
    return body


@pytest.mark.usefixtures("object_storage", "tasks")
def test_an_export_written_to_object_storage_downloads(
    auth_client: APIClient, project: Project
) -> None:
    body = export(auth_client, project)
    job = ExportJob.objects.get(pk=body["id"])
    storage: Any = storages["default"]
    stored = storage.bucket.Object(job.file.name).get()["Body"].read()  # in the bucket itself
    download: Any = auth_client.get(body["download_url"])
    assert download.status_code == HTTPStatus.OK
    assert b"".join(download.streaming_content) == stored
    assert stored.startswith(b"title,status,priority")


@pytest.mark.usefixtures("tasks")
def test_an_export_whose_file_is_gone_is_a_410(auth_client: APIClient, project: Project) -> None:
    body = export(auth_client, project)
    job = ExportJob.objects.get(pk=body["id"])
    job.file.storage.delete(job.file.name)  # cleaned up, or lost with a volume
    response = auth_client.get(body["download_url"])
    assert response.status_code == HTTPStatus.GONE
    assert response.json()["errors"][0]["code"] == "gone"
