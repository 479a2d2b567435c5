import datetime
import uuid
from http import HTTPStatus

import pytest

from apps.projects.models import Task
from apps.users.tests.factories import UserFactory

from .factories import ProjectFactory, TaskFactory
from .helpers import ONE_PAGE, error_attrs, result_ids

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/tasks/"


def detail_url(task: Task | str) -> str:
    return f"{LIST_URL}{task.pk if isinstance(task, Task) else task}/"


def ids(*tasks: Task) -> list[str]:
    return [str(task.pk) for task in tasks]


def test_anonymous_request_is_401(api_client):
    assert api_client.get(LIST_URL).status_code == HTTPStatus.UNAUTHORIZED


class TestList:
    def test_lists_tasks_of_live_projects_i_am_a_member_of(self, auth_client, user, project):
        mine = TaskFactory.create(project=project, title="mine")
        joined = TaskFactory.create(project=ProjectFactory.create(members=[user]), title="joined")
        TaskFactory.create(title="someone else's")
        deleted_project = ProjectFactory.create(owner=user)
        TaskFactory.create(project=deleted_project)
        deleted_project.soft_delete()

        response = auth_client.get(LIST_URL, {**ONE_PAGE, "ordering": "created_at"})

        assert sorted(result_ids(response)) == sorted(ids(mine, joined))

    def test_row_nests_project_assignee_and_creator(self, auth_client, user, project, member):
        task = TaskFactory.create(project=project, assignee=member, created_by=user)

        (row,) = auth_client.get(LIST_URL, ONE_PAGE).json()["results"]

        assert row["id"] == str(task.pk)
        assert row["project"] == {"id": str(project.pk), "name": project.name}
        assert row["assignee"]["id"] == str(member.pk)
        assert row["created_by"]["id"] == str(user.pk)
        assert row["is_open"] is True
        assert "assignee_id" not in row

    def test_default_order_is_soonest_due_first_undated_last_then_priority(
        self, auth_client, project
    ):
        undated = TaskFactory.create(project=project, due_date=None, priority=4)
        later = TaskFactory.create(project=project, due_date=datetime.date(2030, 2, 1))
        soon_low = TaskFactory.create(
            project=project, due_date=datetime.date(2030, 1, 1), priority=1
        )
        soon_high = TaskFactory.create(
            project=project, due_date=datetime.date(2030, 1, 1), priority=3
        )

        expected = ids(soon_high, soon_low, later, undated)
        assert result_ids(auth_client.get(LIST_URL, ONE_PAGE)) == expected


class TestFilters:
    @pytest.fixture
    def tasks(self, project, user, member):
        """Four tasks in `project`, one elsewhere that `user` can see too."""
        return {
            "todo_mine": TaskFactory.create(
                project=project, assignee=user, priority=1, due_date=datetime.date(2030, 1, 10)
            ),
            "doing_member": TaskFactory.create(
                project=project,
                assignee=member,
                status=Task.Status.IN_PROGRESS,
                priority=3,
                due_date=datetime.date(2030, 1, 20),
                title="Fix login bug",
            ),
            "done_mine": TaskFactory.create(
                project=project, assignee=user, status=Task.Status.DONE, priority=3
            ),
            "unassigned": TaskFactory.create(
                project=project,
                priority=4,
                due_date=datetime.date(2030, 1, 30),
                description="Mentions the login page",
            ),
            "elsewhere": TaskFactory.create(project=ProjectFactory.create(owner=user)),
        }

    def get_ids(self, client, params):
        return sorted(result_ids(client.get(LIST_URL, {**ONE_PAGE, **params})))

    def expected(self, tasks, *names):
        return sorted(str(tasks[name].pk) for name in names)

    @pytest.mark.parametrize(
        ("params", "names"),
        [
            ({"status": "todo"}, ["todo_mine", "unassigned", "elsewhere"]),
            ({"status": ["in_progress", "done"]}, ["doing_member", "done_mine"]),
            ({"priority": 3}, ["doing_member", "done_mine"]),
            ({"assignee": "me"}, ["todo_mine", "done_mine"]),
            ({"assignee": "none"}, ["unassigned", "elsewhere"]),
            ({"is_open": "false"}, ["done_mine"]),
            ({"is_open": "true", "assignee": "me"}, ["todo_mine"]),
            ({"due_before": "2030-01-20"}, ["todo_mine", "doing_member"]),
            ({"due_after": "2030-01-20"}, ["doing_member", "unassigned"]),
            ({"search": "login"}, ["doing_member", "unassigned"]),
        ],
    )
    def test_filter_returns_exactly_the_matching_tasks(self, auth_client, tasks, params, names):
        assert self.get_ids(auth_client, params) == self.expected(tasks, *names)

    def test_project_filter(self, auth_client, tasks, project):
        assert self.get_ids(auth_client, {"project": str(project.pk)}) == self.expected(
            tasks, "todo_mine", "doing_member", "done_mine", "unassigned"
        )

    def test_assignee_filter_by_id(self, auth_client, tasks, member):
        assert self.get_ids(auth_client, {"assignee": str(member.pk)}) == self.expected(
            tasks, "doing_member"
        )

    def test_project_filter_for_a_project_i_cannot_see_returns_nothing(
        self, outsider_client, tasks, project
    ):
        assert self.get_ids(outsider_client, {"project": str(project.pk)}) == []

    @pytest.mark.parametrize(
        ("params", "attr"),
        [
            ({"project": "not-a-uuid"}, "project"),
            ({"assignee": "someone"}, "assignee"),
            ({"status": "later"}, "status"),
            ({"priority": "9"}, "priority"),
            ({"due_before": "tomorrow"}, "due_before"),
        ],
    )
    def test_invalid_filter_value_is_400_naming_the_filter(self, auth_client, params, attr):
        response = auth_client.get(LIST_URL, params)
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert error_attrs(response) == [attr]

    def test_ordering_by_due_date_puts_undated_last_and_descending_priority(
        self, auth_client, tasks
    ):
        by_due = result_ids(auth_client.get(LIST_URL, {**ONE_PAGE, "ordering": "due_date"}))
        assert by_due[:3] == ids(tasks["todo_mine"], tasks["doing_member"], tasks["unassigned"])
        assert set(by_due[3:]) == set(ids(tasks["done_mine"], tasks["elsewhere"]))

        by_priority = result_ids(auth_client.get(LIST_URL, {**ONE_PAGE, "ordering": "-priority"}))
        assert by_priority[0] == str(tasks["unassigned"].pk)
        assert by_priority[-1] == str(tasks["todo_mine"].pk)

    def test_page_size_limits_the_page_and_count_covers_all(self, auth_client, tasks):
        first = auth_client.get(LIST_URL, {"ordering": "priority", "page_size": 2})
        second = auth_client.get(LIST_URL, {"ordering": "priority", "page_size": 2, "page": 2})
        third = auth_client.get(LIST_URL, {"ordering": "priority", "page_size": 2, "page": 3})

        assert first.json()["count"] == 5
        pages = result_ids(first) + result_ids(second) + result_ids(third)
        assert len(result_ids(first)) == 2
        assert sorted(pages) == sorted(ids(*tasks.values()))  # no row repeated or skipped


class TestRetrieve:
    def test_member_sees_a_task(self, member_client, project):
        task = TaskFactory.create(project=project)
        assert member_client.get(detail_url(task)).json()["id"] == str(task.pk)

    def test_non_member_gets_404(self, outsider_client, project):
        task = TaskFactory.create(project=project)
        assert outsider_client.get(detail_url(task)).status_code == HTTPStatus.NOT_FOUND

    @pytest.mark.parametrize("bad_id", ["not-a-uuid", str(uuid.uuid4())])
    def test_malformed_or_unknown_id_is_404(self, auth_client, bad_id):
        assert auth_client.get(detail_url(bad_id)).status_code == HTTPStatus.NOT_FOUND


class TestCreate:
    def test_member_creates_a_task(self, member_client, project, member, user):
        response = member_client.post(
            LIST_URL,
            {
                "project_id": str(project.pk),
                "title": "Draft copy",
                "priority": 3,
                "assignee_id": str(user.pk),
                "due_date": "2030-03-01",
            },
        )

        assert response.status_code == HTTPStatus.CREATED, response.json()
        body = response.json()
        assert body["project"] == {"id": str(project.pk), "name": project.name}
        assert body["assignee"]["id"] == str(user.pk)
        assert body["created_by"]["id"] == str(member.pk)
        assert (body["status"], body["is_open"], body["completed_at"]) == ("todo", True, None)
        task = Task.objects.get(pk=body["id"])
        assert (task.title, task.priority, task.due_date) == (
            "Draft copy",
            3,
            datetime.date(2030, 3, 1),
        )

    def test_creating_it_done_stamps_completed_at(self, auth_client, project):
        response = auth_client.post(
            LIST_URL, {"project_id": str(project.pk), "title": "Done", "status": "done"}
        )
        assert response.status_code == HTTPStatus.CREATED
        assert response.json()["is_open"] is False
        assert response.json()["completed_at"] is not None

    @pytest.mark.parametrize("project_id", [str(uuid.uuid4()), "not-a-uuid", None])
    def test_bad_project_id_is_400_on_project_id(self, auth_client, project_id):
        response = auth_client.post(LIST_URL, {"project_id": project_id, "title": "X"})
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert error_attrs(response) == ["project_id"]

    def test_project_i_am_not_a_member_of_is_400_and_nothing_is_created(
        self, outsider_client, project
    ):
        response = outsider_client.post(LIST_URL, {"project_id": str(project.pk), "title": "X"})
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert error_attrs(response) == ["project_id"]
        assert response.json()["errors"][0]["code"] == "does_not_exist"
        assert not Task.objects.exists()

    def test_assignee_from_another_of_my_projects_is_400_on_assignee_id(
        self, auth_client, user, project
    ):
        colleague = UserFactory.create()
        ProjectFactory.create(owner=user, members=[colleague])
        response = auth_client.post(
            LIST_URL,
            {"project_id": str(project.pk), "title": "X", "assignee_id": str(colleague.pk)},
        )
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert error_attrs(response) == ["assignee_id"]
        assert response.json()["errors"][0]["code"] == "not_a_member"

    def test_assignee_i_share_no_project_with_is_400_on_assignee_id(
        self, auth_client, project, other_user
    ):
        response = auth_client.post(
            LIST_URL,
            {"project_id": str(project.pk), "title": "X", "assignee_id": str(other_user.pk)},
        )
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert error_attrs(response) == ["assignee_id"]
        assert response.json()["errors"][0]["code"] == "does_not_exist"

    def test_missing_title_and_bad_priority_are_both_reported(self, auth_client, project):
        response = auth_client.post(LIST_URL, {"project_id": str(project.pk), "priority": 9})
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert set(error_attrs(response)) == {"priority", "title"}


class TestUpdate:
    def test_member_marks_done_then_reopens(self, member_client, project):
        task = TaskFactory.create(project=project)

        done = member_client.patch(detail_url(task), {"status": "done"})
        assert done.status_code == HTTPStatus.OK, done.json()
        assert (done.json()["is_open"], done.json()["completed_at"] is not None) == (False, True)

        reopened = member_client.patch(detail_url(task), {"status": "todo"})
        assert (reopened.json()["is_open"], reopened.json()["completed_at"]) == (True, None)
        task.refresh_from_db()
        assert (task.status, task.completed_at) == ("todo", None)

    def test_assign_and_unassign(self, auth_client, project, member):
        task = TaskFactory.create(project=project)

        assigned = auth_client.patch(detail_url(task), {"assignee_id": str(member.pk)})
        assert assigned.json()["assignee"]["id"] == str(member.pk)

        unassigned = auth_client.patch(detail_url(task), {"assignee_id": None})
        assert unassigned.json()["assignee"] is None
        task.refresh_from_db()
        assert task.assignee is None

    def test_project_cannot_be_changed(self, auth_client, user, project):
        task = TaskFactory.create(project=project)
        other_project = ProjectFactory.create(owner=user)
        response = auth_client.patch(detail_url(task), {"project_id": str(other_project.pk)})
        assert response.status_code == HTTPStatus.OK
        task.refresh_from_db()
        assert task.project == project

    def test_assigning_a_non_member_is_400_and_nothing_changes(self, auth_client, user, project):
        colleague = UserFactory.create()
        ProjectFactory.create(owner=user, members=[colleague])
        task = TaskFactory.create(project=project, title="Before")
        response = auth_client.patch(
            detail_url(task), {"assignee_id": str(colleague.pk), "title": "After"}
        )
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert error_attrs(response) == ["assignee_id"]
        task.refresh_from_db()
        assert (task.assignee, task.title) == (None, "Before")

    def test_non_member_gets_404(self, outsider_client, project):
        task = TaskFactory.create(project=project, title="Before")
        response = outsider_client.patch(detail_url(task), {"title": "After"})
        assert response.status_code == HTTPStatus.NOT_FOUND
        task.refresh_from_db()
        assert task.title == "Before"


class TestDelete:
    def test_member_deletes(self, member_client, project):
        task = TaskFactory.create(project=project)
        assert member_client.delete(detail_url(task)).status_code == HTTPStatus.NO_CONTENT
        assert not Task.objects.filter(pk=task.pk).exists()

    def test_non_member_gets_404_and_task_stays(self, outsider_client, project):
        task = TaskFactory.create(project=project)
        assert outsider_client.delete(detail_url(task)).status_code == HTTPStatus.NOT_FOUND
        assert Task.objects.filter(pk=task.pk).exists()
