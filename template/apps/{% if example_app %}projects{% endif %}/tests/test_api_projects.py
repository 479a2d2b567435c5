import uuid
from http import HTTPStatus

import pytest

from apps.projects.models import Project, Task
from apps.users.tests.factories import DEFAULT_PASSWORD, UserFactory

from .factories import ProjectFactory, TaskFactory
from .helpers import ONE_PAGE, error_attrs, result_ids

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/projects/"


def detail_url(project: Project | uuid.UUID | str) -> str:
    pk = project.pk if isinstance(project, Project) else project
    return f"{LIST_URL}{pk}/"


def members_url(project: Project) -> str:
    return f"{detail_url(project)}members/"


class TestAuthentication:
    def test_anonymous_request_is_401(self, api_client, project):
        response = api_client.get(LIST_URL)
        assert response.status_code == HTTPStatus.UNAUTHORIZED
        assert response.json()["errors"][0]["code"] == "not_authenticated"

    def test_jwt_bearer_token_authenticates(self, api_client, user, project):
        token = api_client.post(
            "/api/v1/auth/token/", {"email": user.email, "password": DEFAULT_PASSWORD}
        )
        assert token.status_code == HTTPStatus.OK, token.json()
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['access']}")
        assert result_ids(api_client.get(LIST_URL, ONE_PAGE)) == [str(project.pk)]

    def test_bad_bearer_token_is_401(self, api_client, project):
        api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
        assert api_client.get(LIST_URL).status_code == HTTPStatus.UNAUTHORIZED


class TestList:
    def test_lists_only_live_projects_i_am_a_member_of(self, auth_client, user, other_user):
        mine = ProjectFactory.create(owner=user, name="A mine")
        joined = ProjectFactory.create(owner=other_user, name="B joined", members=[user])
        ProjectFactory.create(owner=other_user, name="C not mine")
        ProjectFactory.create(owner=user, name="D deleted").soft_delete()

        response = auth_client.get(LIST_URL, ONE_PAGE)

        assert result_ids(response) == [str(mine.pk), str(joined.pk)]
        assert response.json()["count"] == 2

    def test_row_has_owner_members_and_task_counts(self, auth_client, project, user, member):
        TaskFactory.create(project=project)
        TaskFactory.create(project=project, status=Task.Status.DONE)
        TaskFactory.create(project=project, status=Task.Status.IN_PROGRESS)

        (row,) = auth_client.get(LIST_URL, ONE_PAGE).json()["results"]

        assert row["owner"] == {
            "id": str(user.pk),
            "email": user.email,
            "full_name": user.full_name,
        }
        assert {m["id"] for m in row["members"]} == {str(user.pk), str(member.pk)}
        assert (row["task_count"], row["open_task_count"]) == (3, 2)

    def test_search_matches_name_or_description(self, auth_client, user):
        by_name = ProjectFactory.create(owner=user, name="Billing revamp", description="")
        by_description = ProjectFactory.create(
            owner=user, name="Q3", description="New billing flow"
        )
        ProjectFactory.create(owner=user, name="Hiring", description="Two engineers")

        response = auth_client.get(LIST_URL, {**ONE_PAGE, "search": "billing", "ordering": "name"})

        assert result_ids(response) == [str(by_name.pk), str(by_description.pk)]

    def test_owner_me_filter_leaves_out_projects_i_only_joined(self, auth_client, user, other_user):
        mine = ProjectFactory.create(owner=user)
        ProjectFactory.create(owner=other_user, members=[user])
        assert result_ids(auth_client.get(LIST_URL, {**ONE_PAGE, "owner": "me"})) == [str(mine.pk)]

    def test_owner_filter_rejects_a_malformed_id(self, auth_client):
        response = auth_client.get(LIST_URL, {"owner": "nobody"})
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert error_attrs(response) == ["owner"]

    def test_ordering_and_pagination(self, auth_client, user):
        projects = [ProjectFactory.create(owner=user, name=name) for name in ["b", "c", "a"]]
        a, b, c = projects[2], projects[0], projects[1]

        first = auth_client.get(LIST_URL, {"ordering": "-name", "page_size": 2})
        second = auth_client.get(LIST_URL, {"ordering": "-name", "page_size": 2, "page": 2})

        assert result_ids(first) == [str(c.pk), str(b.pk)]
        assert first.json()["count"] == 3
        assert first.json()["next"] is not None
        assert result_ids(second) == [str(a.pk)]


class TestRetrieve:
    def test_member_sees_the_project(self, member_client, project):
        response = member_client.get(detail_url(project))
        assert response.status_code == HTTPStatus.OK
        assert response.json()["name"] == "Website relaunch"

    def test_non_member_gets_404_not_403(self, outsider_client, project):
        assert outsider_client.get(detail_url(project)).status_code == HTTPStatus.NOT_FOUND

    def test_soft_deleted_project_is_404(self, auth_client, project):
        project.soft_delete()
        assert auth_client.get(detail_url(project)).status_code == HTTPStatus.NOT_FOUND

    @pytest.mark.parametrize("bad_id", ["not-a-uuid", "123", str(uuid.uuid4())])
    def test_malformed_or_unknown_id_is_404(self, auth_client, project, bad_id):
        response = auth_client.get(detail_url(bad_id))
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json()["errors"][0]["code"] == "not_found"


class TestCreate:
    def test_creates_with_me_as_owner_and_member(self, auth_client, user):
        response = auth_client.post(LIST_URL, {"name": "Roadmap", "description": "Q3 plan"})

        assert response.status_code == HTTPStatus.CREATED, response.json()
        body = response.json()
        assert body["owner"]["id"] == str(user.pk)
        assert [m["id"] for m in body["members"]] == [str(user.pk)]
        assert (body["task_count"], body["open_task_count"]) == (0, 0)
        project = Project.objects.get(pk=body["id"])
        assert (project.name, project.description, project.owner) == ("Roadmap", "Q3 plan", user)

    def test_owner_in_the_body_is_ignored(self, auth_client, user, other_user):
        response = auth_client.post(LIST_URL, {"name": "Mine", "owner": str(other_user.pk)})
        assert response.status_code == HTTPStatus.CREATED
        assert Project.objects.get(pk=response.json()["id"]).owner == user

    def test_duplicate_name_is_400_on_name(self, auth_client, project):
        response = auth_client.post(LIST_URL, {"name": "WEBSITE RELAUNCH"})
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert error_attrs(response) == ["name"]
        assert response.json()["errors"][0]["code"] == "duplicate_name"

    def test_missing_name_is_400_on_name(self, auth_client):
        response = auth_client.post(LIST_URL, {"description": "no name"})
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert error_attrs(response) == ["name"]
        assert response.json()["errors"][0]["code"] == "required"


class TestUpdate:
    def test_owner_renames(self, auth_client, project):
        response = auth_client.patch(detail_url(project), {"name": "Relaunch v2"})
        assert response.status_code == HTTPStatus.OK, response.json()
        assert response.json()["name"] == "Relaunch v2"
        project.refresh_from_db()
        assert project.name == "Relaunch v2"

    def test_member_who_is_not_owner_gets_403(self, member_client, project):
        response = member_client.patch(detail_url(project), {"name": "Mine now"})
        assert response.status_code == HTTPStatus.FORBIDDEN
        project.refresh_from_db()
        assert project.name == "Website relaunch"

    def test_member_gets_403_before_the_body_is_validated(self, member_client, project):
        # The permission class answers first: non-owners learn nothing about validation rules.
        response = member_client.patch(detail_url(project), {"name": ""})
        assert response.status_code == HTTPStatus.FORBIDDEN

    def test_non_member_gets_404(self, outsider_client, project):
        response = outsider_client.patch(detail_url(project), {"name": "x"})
        assert response.status_code == HTTPStatus.NOT_FOUND

    def test_renaming_onto_my_other_project_is_400_on_name(self, auth_client, user, project):
        ProjectFactory.create(owner=user, name="Taken")
        response = auth_client.patch(detail_url(project), {"name": "taken"})
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert error_attrs(response) == ["name"]


class TestDelete:
    def test_owner_deletes_softly(self, auth_client, project):
        assert auth_client.delete(detail_url(project)).status_code == HTTPStatus.NO_CONTENT
        assert not Project.objects.filter(pk=project.pk).exists()
        assert Project.all_objects.filter(pk=project.pk, deleted_at__isnull=False).exists()

    def test_member_who_is_not_owner_gets_403_and_project_stays(self, member_client, project):
        assert member_client.delete(detail_url(project)).status_code == HTTPStatus.FORBIDDEN
        assert Project.objects.filter(pk=project.pk).exists()

    def test_non_member_gets_404(self, outsider_client, project):
        assert outsider_client.delete(detail_url(project)).status_code == HTTPStatus.NOT_FOUND
        assert Project.objects.filter(pk=project.pk).exists()


class TestRemoveMember:
    def test_owner_removes_and_their_open_tasks_are_unassigned(self, auth_client, project, member):
        task = TaskFactory.create(project=project, assignee=member)

        response = auth_client.delete(f"{members_url(project)}{member.pk}/")

        assert response.status_code == HTTPStatus.NO_CONTENT
        assert not project.members.filter(pk=member.pk).exists()
        task.refresh_from_db()
        assert task.assignee is None

    def test_removing_the_owner_is_400(self, auth_client, project, user):
        response = auth_client.delete(f"{members_url(project)}{user.pk}/")
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert error_attrs(response) == ["user_id"]
        assert project.members.filter(pk=user.pk).exists()

    def test_member_who_is_not_owner_gets_403(self, member_client, project, user):
        other_member = UserFactory.create()
        project.members.add(other_member)
        response = member_client.delete(f"{members_url(project)}{other_member.pk}/")
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert project.members.filter(pk=other_member.pk).exists()

    def test_non_member_gets_404(self, outsider_client, project, member):
        response = outsider_client.delete(f"{members_url(project)}{member.pk}/")
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert project.members.filter(pk=member.pk).exists()

    @pytest.mark.parametrize("bad_id", ["not-a-uuid", str(uuid.uuid4())])
    def test_malformed_or_unknown_user_id_is_404(self, auth_client, project, bad_id):
        response = auth_client.delete(f"{members_url(project)}{bad_id}/")
        assert response.status_code == HTTPStatus.NOT_FOUND

    def test_user_who_is_not_a_member_is_404(self, auth_client, project, other_user):
        response = auth_client.delete(f"{members_url(project)}{other_user.pk}/")
        assert response.status_code == HTTPStatus.NOT_FOUND
