import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.projects.models import Project, Task
from apps.users.tests.factories import UserFactory

from .factories import ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db

PROJECTS = "/admin/projects/project/"
TASKS = "/admin/projects/task/"


def add_rows(count: int) -> None:
    for _ in range(count):
        assignee = UserFactory.create()
        project = ProjectFactory.create(members=[assignee])
        TaskFactory.create(project=project, assignee=assignee)
        TaskFactory.create(project=project, status=Task.Status.DONE)


def changelist_queries(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response.content.decode()


@pytest.mark.parametrize(("url", "total"), [(PROJECTS, "30 projects"), (TASKS, "60 tasks")])
def test_changelist_loads_and_queries_do_not_grow_with_rows(admin_client, url, total):
    add_rows(3)
    few, _ = changelist_queries(admin_client, url)
    add_rows(27)
    many, html = changelist_queries(admin_client, url)
    assert few == many, f"{url}: {few} queries for 3 rows but {many} for 30"
    assert total in html  # the paginator's "N projects" / "N tasks" line


def test_project_changelist_shows_task_counts(admin_client):
    project = ProjectFactory.create(name="Counted")
    TaskFactory.create_batch(3, project=project)
    TaskFactory.create(project=project, status=Task.Status.DONE)
    _, html = changelist_queries(admin_client, PROJECTS)
    assert '<td class="field-task_count">4</td>' in html
    assert '<td class="field-open_task_count">3</td>' in html


def test_project_changelist_lists_soft_deleted_projects_too(admin_client):
    ProjectFactory.create(name="Gone").soft_delete()
    _, html = changelist_queries(admin_client, PROJECTS)
    assert "Gone" in html


def test_saving_a_project_in_the_admin_keeps_the_owner_a_member(admin_client):
    owner = UserFactory.create()
    response = admin_client.post(
        f"{PROJECTS}add/", {"name": "From admin", "description": "", "owner": owner.pk}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(name="From admin")
    assert list(project.members.all()) == [owner]


def test_marking_a_task_done_in_the_admin_stamps_completed_at(admin_client):
    task = TaskFactory.create(title="Ship it")
    response = admin_client.post(
        f"{TASKS}{task.pk}/change/",
        {
            "project": task.project.pk,
            "title": "Ship it",
            "description": "",
            "status": "done",
            "priority": 2,
            "assignee": "",
            "due_date": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    task.refresh_from_db()
    assert task.completed_at is not None
