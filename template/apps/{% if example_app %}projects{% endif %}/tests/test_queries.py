"""List endpoints must cost the same number of queries for 3 rows as for 30 (no N+1)."""

from collections.abc import Callable
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from apps.core.tests.scope import REQUEST_QUERIES
from apps.users.models import User
from apps.users.tests.factories import UserFactory

from .factories import ProjectFactory, TaskFactory
from .helpers import ONE_PAGE

pytestmark = pytest.mark.django_db


def queries_for(client: APIClient, url: str, expected_rows: int) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, ONE_PAGE)
    assert response.status_code == HTTPStatus.OK, response.json()
    assert len(response.json()["results"]) == expected_rows
    return len(context.captured_queries)


def assert_queries_do_not_grow(client: APIClient, url: str, add_rows: Callable[[int], None]) -> int:
    """Measure `url` with 3 rows and with 30; assert the counts match and return it."""
    add_rows(3)
    few = queries_for(client, url, 3)
    add_rows(27)
    many = queries_for(client, url, 30)
    assert few == many, f"{url}: {few} queries for 3 rows but {many} for 30"
    return many


def add_projects(user: User) -> Callable[[int], None]:
    def add(count: int) -> None:
        for _ in range(count):
            project = ProjectFactory.create(owner=user, members=UserFactory.create_batch(2))
            TaskFactory.create_batch(2, project=project)

    return add


def add_tasks(user: User) -> Callable[[int], None]:
    def add(count: int) -> None:
        for _ in range(count):
            assignee = UserFactory.create()
            project = ProjectFactory.create(owner=user, members=[assignee])
            TaskFactory.create(project=project, assignee=assignee)

    return add


def test_project_list_queries_do_not_grow_with_rows(auth_client, user):
    assert_queries_do_not_grow(auth_client, "/api/v1/projects/", add_projects(user))


def test_task_list_queries_do_not_grow_with_rows(auth_client, user):
    assert_queries_do_not_grow(auth_client, "/api/v1/tasks/", add_tasks(user))


def test_project_list_is_count_rows_and_members(auth_client, user, django_assert_num_queries):
    add_projects(user)(5)
    # 1 COUNT for the paginator, 1 for the projects with owner and task counts, 1 for members.
    with django_assert_num_queries(REQUEST_QUERIES + 3):
        auth_client.get("/api/v1/projects/")


def test_task_list_is_count_and_rows(auth_client, user, django_assert_num_queries):
    add_tasks(user)(5)
    # 1 COUNT for the paginator, 1 for the tasks joined to project, assignee and creator.
    with django_assert_num_queries(REQUEST_QUERIES + 2):
        auth_client.get("/api/v1/tasks/")
