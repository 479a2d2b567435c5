import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.projects import services
from apps.projects.models import Project, Task
from apps.users.tests.factories import UserFactory

from .factories import ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db


class TestCreateProject:
    def test_owner_becomes_the_first_member(self, user):
        project = services.create_project(owner=user, name="Roadmap", description="Q3")
        assert project.owner == user
        assert list(project.members.all()) == [user]
        assert Project.objects.get(pk=project.pk).description == "Q3"

    def test_duplicate_name_is_a_validation_error_on_name(self, user):
        services.create_project(owner=user, name="Roadmap")
        with pytest.raises(ValidationError) as excinfo:
            services.create_project(owner=user, name="roadmap")
        assert list(excinfo.value.message_dict) == ["name"]
        assert Project.objects.filter(owner=user).count() == 1

    def test_duplicate_that_slips_past_validation_is_still_a_validation_error(
        self, user, monkeypatch
    ):
        # A concurrent request inserting between our check and our INSERT looks like this:
        # validation passes, then the database constraint fires.
        services.create_project(owner=user, name="Roadmap")
        monkeypatch.setattr(Project, "full_clean", lambda self, *args, **kwargs: None)
        with pytest.raises(ValidationError) as excinfo:
            services.create_project(owner=user, name="Roadmap")
        assert list(excinfo.value.message_dict) == ["name"]

    def test_blank_name_is_rejected(self, user):
        with pytest.raises(ValidationError) as excinfo:
            services.create_project(owner=user, name="")
        assert list(excinfo.value.message_dict) == ["name"]


class TestUpdateProject:
    def test_owner_can_rename(self, project, user):
        services.update_project(project, actor=user, name="Renamed")
        assert Project.objects.get(pk=project.pk).name == "Renamed"

    def test_member_who_is_not_owner_is_denied_and_nothing_changes(self, project, member):
        with pytest.raises(PermissionDenied):
            services.update_project(project, actor=member, name="Hijacked")
        project.refresh_from_db()
        assert project.name == "Website relaunch"

    def test_renaming_onto_another_of_my_projects_is_rejected(self, project, user):
        ProjectFactory.create(owner=user, name="Taken")
        with pytest.raises(ValidationError) as excinfo:
            services.update_project(project, actor=user, name="taken")
        assert list(excinfo.value.message_dict) == ["name"]

    def test_unknown_field_is_a_programming_error(self, project, user):
        with pytest.raises(TypeError, match="owner"):
            services.update_project(project, actor=user, owner=user)  # type: ignore[call-arg]


class TestDeleteProject:
    def test_owner_soft_deletes(self, project, user):
        services.delete_project(project, actor=user)
        assert not Project.objects.filter(pk=project.pk).exists()
        assert Project.all_objects.get(pk=project.pk).deleted_at is not None

    def test_member_who_is_not_owner_is_denied_and_project_stays(self, project, member):
        with pytest.raises(PermissionDenied):
            services.delete_project(project, actor=member)
        assert Project.objects.get(pk=project.pk).deleted_at is None


class TestAddMember:
    def test_owner_adds_a_member_once(self, project, user, other_user):
        assert services.add_member(project, actor=user, user=other_user) is True
        assert services.add_member(project, actor=user, user=other_user) is False
        assert set(project.members.all()) == {user, other_user}

    def test_member_who_is_not_owner_is_denied(self, project, member, other_user):
        with pytest.raises(PermissionDenied):
            services.add_member(project, actor=member, user=other_user)
        assert not project.members.filter(pk=other_user.pk).exists()

    def test_inactive_user_cannot_join(self, project, user):
        inactive = UserFactory.create(is_active=False)
        with pytest.raises(ValidationError):
            services.add_member(project, actor=user, user=inactive)
        assert not project.members.filter(pk=inactive.pk).exists()


class TestRemoveMember:
    def test_unassigns_only_their_open_tasks_in_this_project(self, project, user, member):
        open_task = TaskFactory.create(project=project, assignee=member)
        done_task = TaskFactory.create(project=project, assignee=member, status=Task.Status.DONE)
        elsewhere = TaskFactory.create(
            project=ProjectFactory.create(members=[member]), assignee=member
        )
        others_task = TaskFactory.create(project=project, assignee=user)

        services.remove_member(project, actor=user, user=member)

        assert not project.members.filter(pk=member.pk).exists()
        assignees = dict(Task.objects.values_list("pk", "assignee"))
        assert assignees == {
            open_task.pk: None,
            done_task.pk: member.pk,  # finished work keeps its history
            elsewhere.pk: member.pk,
            others_task.pk: user.pk,
        }

    def test_owner_cannot_be_removed(self, project, user):
        with pytest.raises(ValidationError):
            services.remove_member(project, actor=user, user=user)
        assert project.members.filter(pk=user.pk).exists()

    def test_member_who_is_not_owner_is_denied(self, project, member):
        other_member = UserFactory.create()
        project.members.add(other_member)
        with pytest.raises(PermissionDenied):
            services.remove_member(project, actor=member, user=other_member)
        assert project.members.filter(pk=other_member.pk).exists()


class TestLeaveProjects:
    """What a user's projects do when the user's access ends (removal, deactivation)."""

    def test_they_leave_every_project_and_their_open_tasks_there_are_unassigned(
        self, project, user, member
    ):
        other = ProjectFactory.create(owner=user, members=[member])
        untouched = ProjectFactory.create(members=[member])
        open_task = TaskFactory.create(project=project, assignee=member)
        done_task = TaskFactory.create(project=other, assignee=member, status=Task.Status.DONE)
        kept = TaskFactory.create(project=untouched, assignee=member)

        mine = Project.all_objects.filter(pk__in=[project.pk, other.pk])
        services.leave_projects(member, mine, successor=user)

        assert not Project.all_objects.filter(pk__in=[project.pk, other.pk], members=member)
        assert untouched.members.filter(pk=member.pk).exists()
        assignees = dict(Task.objects.values_list("pk", "assignee"))
        assert assignees[open_task.pk] is None
        assert assignees[done_task.pk] == member.pk  # finished work keeps its history
        assert assignees[kept.pk] == member.pk

    def test_projects_they_own_go_to_the_successor_renamed_if_taken(self, user, other_user):
        ProjectFactory.create(owner=user, name="Launch")
        theirs = ProjectFactory.create(owner=other_user, name="launch", members=[user])
        unique = ProjectFactory.create(owner=other_user, name="Budget")

        services.leave_projects(other_user, Project.all_objects.all(), successor=user)

        theirs.refresh_from_db()
        unique.refresh_from_db()
        assert (theirs.owner, theirs.name) == (user, "launch (2)")
        assert (unique.owner, unique.name) == (user, "Budget")
        assert set(unique.members.all()) == {user}
        assert not Project.all_objects.filter(members=other_user).exists()

    def test_without_a_successor_their_own_projects_stay_theirs(self, project, user, member):
        task = TaskFactory.create(project=project, assignee=user)
        services.leave_projects(user, Project.all_objects.all(), successor=None)
        project.refresh_from_db()
        task.refresh_from_db()
        assert project.owner == user
        assert project.members.filter(pk=user.pk).exists()
        assert task.assignee is None

    def test_soft_deleted_projects_are_left_too(self, project, user, member):
        services.delete_project(project, actor=user)
        services.leave_projects(member, Project.all_objects.all(), successor=user)
        project.restore()
        assert not project.members.filter(pk=member.pk).exists()


class TestCreateTask:
    def test_member_creates_a_task_they_are_recorded_as_creating(self, project, member):
        task = services.create_task(
            project, actor=member, title="Write copy", assignee=member, priority=3
        )
        task = Task.objects.get(pk=task.pk)
        assert (task.project, task.created_by, task.assignee) == (project, member, member)
        assert (task.priority, task.status, task.is_open) == (3, Task.Status.TODO, True)
        assert task.completed_at is None

    def test_task_created_done_is_stamped_completed(self, project, user):
        task = services.create_task(project, actor=user, title="Done", status=Task.Status.DONE)
        assert task.completed_at is not None

    def test_assignee_who_is_not_a_member_is_rejected(self, project, user, other_user):
        with pytest.raises(ValidationError) as excinfo:
            services.create_task(project, actor=user, title="X", assignee=other_user)
        assert list(excinfo.value.message_dict) == ["assignee"]
        assert not Task.objects.exists()

    def test_a_deactivated_member_cannot_be_assigned(self, project, user, member):
        member.is_active = False
        member.save(update_fields=["is_active"])
        with pytest.raises(ValidationError) as excinfo:
            services.create_task(project, actor=user, title="X", assignee=member)
        assert list(excinfo.value.message_dict) == ["assignee"]

    def test_non_member_is_denied(self, project, other_user):
        with pytest.raises(PermissionDenied):
            services.create_task(project, actor=other_user, title="Sneaky")
        assert not Task.objects.exists()

    def test_invalid_priority_is_rejected(self, project, user):
        with pytest.raises(ValidationError) as excinfo:
            services.create_task(project, actor=user, title="X", priority=9)
        assert list(excinfo.value.message_dict) == ["priority"]


class TestUpdateTask:
    def test_done_stamps_completed_at_and_reopening_clears_it(self, project, member):
        task = TaskFactory.create(project=project)
        services.update_task(task, actor=member, status=Task.Status.DONE)
        task.refresh_from_db()
        assert task.completed_at is not None
        assert task.is_open is False
        first_completed_at = task.completed_at

        services.update_task(task, actor=member, title="Still done")
        task.refresh_from_db()
        assert task.completed_at == first_completed_at

        services.update_task(task, actor=member, status=Task.Status.IN_PROGRESS)
        task.refresh_from_db()
        assert task.completed_at is None
        assert task.is_open is True

    def test_reassigning_to_a_non_member_is_rejected_and_nothing_changes(
        self, project, member, other_user
    ):
        task = TaskFactory.create(project=project, assignee=member)
        with pytest.raises(ValidationError):
            services.update_task(task, actor=member, assignee=other_user, title="Changed")
        task.refresh_from_db()
        assert task.assignee == member
        assert task.title != "Changed"

    def test_non_member_is_denied(self, project, other_user):
        task = TaskFactory.create(project=project, due_date=None)
        with pytest.raises(PermissionDenied):
            services.update_task(task, actor=other_user, due_date=datetime.date(2030, 1, 1))
        task.refresh_from_db()
        assert task.due_date is None


class TestDeleteTask:
    def test_member_deletes(self, project, member):
        task = TaskFactory.create(project=project)
        services.delete_task(task, actor=member)
        assert not Task.objects.filter(pk=task.pk).exists()

    def test_non_member_is_denied(self, project, other_user):
        task = TaskFactory.create(project=project)
        with pytest.raises(PermissionDenied):
            services.delete_task(task, actor=other_user)
        assert Task.objects.filter(pk=task.pk).exists()
