from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.jobs.models import ExportJob, ReminderDelivery
from apps.projects.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

EXPORTS = "/admin/jobs/exportjob/"
REMINDERS = "/admin/jobs/reminderdelivery/"


def add_rows(count: int) -> None:
    for _ in range(count):
        task = TaskFactory.create()
        ExportJob.objects.create(
            project=task.project, requested_by=task.project.owner, status="failed", error="Boom."
        )
        ReminderDelivery.objects.create(
            task=task, due_date="2030-01-01", recipient=task.project.owner, status="failed"
        )


@pytest.mark.parametrize("url", [EXPORTS, REMINDERS])
def test_changelists_show_failures_in_flat_queries(admin_client, url):
    add_rows(3)
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == HTTPStatus.OK
    add_rows(27)
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(f"{url}?status__exact=failed")
    assert response.status_code == HTTPStatus.OK
    assert len(few.captured_queries) == len(many.captured_queries)
    assert "30 " in response.content.decode()


@pytest.mark.parametrize("url", [EXPORTS, REMINDERS])
def test_rows_are_read_only(admin_client, url):
    add_rows(1)
    model = ExportJob if url == EXPORTS else ReminderDelivery
    row = model.objects.get()
    assert admin_client.get(f"{url}add/").status_code == HTTPStatus.FORBIDDEN
    page = admin_client.get(f"{url}{row.pk}/change/")
    assert page.status_code == HTTPStatus.OK
    assert "Save" not in page.content.decode()
