"""Project stats and "due soon", through the sync test client: the contract for both variants."""

import datetime
import uuid
import zoneinfo
from http import HTTPStatus

import pytest
from django.utils import timezone

from apps.core.tests.scope import REQUEST_QUERIES
from apps.projects.models import Project, Task
from apps.users.tests.factories import UserFactory

from .factories import ProjectFactory, TaskFactory
from .helpers import ONE_PAGE, error_attrs, result_ids

pytestmark = pytest.mark.django_db

DUE_SOON_URL = "/api/v1/tasks/due-soon/"


def stats_url(project: Project | uuid.UUID) -> str:
    pk = project.pk if isinstance(project, Project) else project
    return f"/api/v1/projects/{pk}/stats/"


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


class TestProjectStats:
    def test_counts_tasks_by_state(self, member_client, project):
        TaskFactory.create(project=project, due_date=days_from_today(-1))  # overdue
        TaskFactory.create(project=project, due_date=days_from_today(0))  # due today: not yet
        TaskFactory.create(project=project)  # undated
        TaskFactory.create(
            project=project, status=Task.Status.IN_PROGRESS, due_date=days_from_today(-5)
        )
        TaskFactory.create(project=project, status=Task.Status.DONE, due_date=days_from_today(-9))
        TaskFactory.create(due_date=days_from_today(-1))  # another project

        response = member_client.get(stats_url(project))

        assert response.status_code == HTTPStatus.OK, response.json()
        assert response.json() == {
            "project": str(project.pk),
            "tasks": 5,
            "open": 4,
            "overdue": 2,
            "by_status": {"todo": 3, "in_progress": 1, "done": 1},
        }

    def test_empty_project_has_all_zeros(self, auth_client, project):
        body = auth_client.get(stats_url(project)).json()
        assert (body["tasks"], body["open"], body["overdue"]) == (0, 0, 0)
        assert body["by_status"] == {"todo": 0, "in_progress": 0, "done": 0}

    @pytest.mark.parametrize(
        ("time_zone", "overdue"), [("Etc/GMT+12", 0), ("Pacific/Kiritimati", 1)]
    )
    def test_overdue_follows_the_calendar_of_time_zone(
        self, auth_client, project, settings, time_zone, overdue
    ):
        # UTC-12 and UTC+14 are 26 hours apart, so their calendars never show the same date:
        # "today" at UTC-12 is always in the past at UTC+14.
        today_at_utc_minus_12 = timezone.localdate(timezone=zoneinfo.ZoneInfo("Etc/GMT+12"))
        TaskFactory.create(project=project, due_date=today_at_utc_minus_12)
        settings.TIME_ZONE = time_zone

        assert auth_client.get(stats_url(project)).json()["overdue"] == overdue

    def test_non_member_gets_404(self, outsider_client, project):
        assert outsider_client.get(stats_url(project)).status_code == HTTPStatus.NOT_FOUND

    def test_soft_deleted_project_is_404(self, auth_client, project):
        project.soft_delete()
        assert auth_client.get(stats_url(project)).status_code == HTTPStatus.NOT_FOUND

    def test_unknown_id_is_404(self, auth_client):
        assert auth_client.get(stats_url(uuid.uuid4())).status_code == HTTPStatus.NOT_FOUND

    def test_anonymous_request_is_401(self, api_client, project):
        response = api_client.get(stats_url(project))
        assert response.status_code == HTTPStatus.UNAUTHORIZED
        assert response.json()["errors"][0]["code"] == "not_authenticated"

    def test_membership_check_then_one_aggregate(
        self, auth_client, project, django_assert_num_queries
    ):
        TaskFactory.create_batch(5, project=project)
        with django_assert_num_queries(REQUEST_QUERIES + 2):
            assert auth_client.get(stats_url(project)).status_code == HTTPStatus.OK


class TestDueSoon:
    def test_lists_my_open_tasks_due_within_a_week_soonest_first(
        self, auth_client, user, project, member
    ):
        overdue = TaskFactory.create(project=project, assignee=user, due_date=days_from_today(-3))
        today = TaskFactory.create(project=project, assignee=user, due_date=days_from_today(0))
        last_day = TaskFactory.create(project=project, assignee=user, due_date=days_from_today(7))
        for left_out in [
            {"assignee": user, "due_date": days_from_today(8)},
            {"assignee": user, "due_date": None},
            {"assignee": user, "due_date": days_from_today(1), "status": Task.Status.DONE},
            {"assignee": member, "due_date": days_from_today(1)},
            {"assignee": None, "due_date": days_from_today(1)},
        ]:
            TaskFactory.create(project=project, **left_out)

        response = auth_client.get(DUE_SOON_URL, ONE_PAGE)

        assert result_ids(response) == [str(overdue.pk), str(today.pk), str(last_day.pk)]
        row = response.json()["results"][0]
        assert row["project"] == {"id": str(project.pk), "name": project.name}
        assert row["assignee"]["id"] == str(user.pk)

    def test_in_progress_tasks_count_as_open(self, auth_client, user, project):
        task = TaskFactory.create(
            project=project,
            assignee=user,
            status=Task.Status.IN_PROGRESS,
            due_date=days_from_today(2),
        )
        assert result_ids(auth_client.get(DUE_SOON_URL, ONE_PAGE)) == [str(task.pk)]

    def test_tasks_of_deleted_projects_are_left_out(self, auth_client, user, project):
        TaskFactory.create(project=project, assignee=user, due_date=days_from_today(1))
        project.soft_delete()
        assert result_ids(auth_client.get(DUE_SOON_URL, ONE_PAGE)) == []

    def test_same_day_orders_by_priority(self, auth_client, user, project):
        low, urgent = (
            TaskFactory.create(
                project=project, assignee=user, due_date=days_from_today(1), priority=priority
            )
            for priority in (Task.Priority.LOW, Task.Priority.URGENT)
        )
        assert result_ids(auth_client.get(DUE_SOON_URL, ONE_PAGE)) == [str(urgent.pk), str(low.pk)]

    @pytest.mark.parametrize(("days", "included"), [(1, 1), (30, 2), (90, 3)])
    def test_days_widens_the_window(self, auth_client, user, project, days, included):
        tasks = [
            TaskFactory.create(project=project, assignee=user, due_date=days_from_today(offset))
            for offset in (1, 30, 90)
        ]
        response = auth_client.get(DUE_SOON_URL, {**ONE_PAGE, "days": days})
        assert result_ids(response) == [str(task.pk) for task in tasks[:included]]

    @pytest.mark.parametrize("days", ["0", "91", "-1", "soon"])
    def test_bad_days_is_400_on_days(self, auth_client, days):
        response = auth_client.get(DUE_SOON_URL, {"days": days})
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert error_attrs(response) == ["days"]

    def test_is_paginated_like_every_list(self, auth_client, user, project):
        for offset in range(3):
            TaskFactory.create(project=project, assignee=user, due_date=days_from_today(offset))

        first = auth_client.get(DUE_SOON_URL, {"page_size": 2})
        second = auth_client.get(DUE_SOON_URL, {"page_size": 2, "page": 2})

        assert first.json()["count"] == 3
        assert first.json()["next"] is not None
        assert len(result_ids(first)) == 2
        assert len(result_ids(second)) == 1
        third = auth_client.get(DUE_SOON_URL, {"page_size": 2, "page": 3})
        assert third.status_code == HTTPStatus.NOT_FOUND

    def test_anonymous_request_is_401(self, api_client):
        assert api_client.get(DUE_SOON_URL).status_code == HTTPStatus.UNAUTHORIZED

    def test_task_detail_route_still_works(self, auth_client, project):
        task = TaskFactory.create(project=project)
        assert auth_client.get(f"/api/v1/tasks/{task.pk}/").json()["id"] == str(task.pk)

    def test_count_and_rows_whatever_the_number_of_rows(
        self, auth_client, user, django_assert_num_queries
    ):
        for _ in range(5):
            project = ProjectFactory.create(owner=user, members=[UserFactory.create()])
            TaskFactory.create(project=project, assignee=user, due_date=days_from_today(1))
        # 1 COUNT for the paginator, 1 for the tasks joined to project, assignee and creator.
        with django_assert_num_queries(REQUEST_QUERIES + 2):
            assert len(result_ids(auth_client.get(DUE_SOON_URL, ONE_PAGE))) == 5
