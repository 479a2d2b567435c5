import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.projects.models import Project, Task
from apps.users.tests.factories import UserFactory

from .factories import ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db


class TestProjectNameUniqueness:
    def test_database_rejects_same_name_for_same_owner_ignoring_case(self, user):
        ProjectFactory.create(owner=user, name="Roadmap")
        with pytest.raises(IntegrityError), transaction.atomic():
            ProjectFactory.create(owner=user, name="ROADMAP")

    def test_full_clean_reports_duplicate_name_on_the_name_field(self, user):
        ProjectFactory.create(owner=user, name="Roadmap")
        duplicate = Project(owner=user, name="roadmap")
        with pytest.raises(ValidationError) as excinfo:
            duplicate.full_clean()
        assert excinfo.value.message_dict == {
            "name": ["You already have a project with this name."]
        }

    def test_name_is_free_again_after_soft_delete(self, user):
        ProjectFactory.create(owner=user, name="Roadmap").soft_delete()
        again = Project(owner=user, name="Roadmap")
        again.full_clean()
        again.save()
        assert Project.all_objects.filter(owner=user, name="Roadmap").count() == 2

    def test_different_owners_may_use_the_same_name(self, user, other_user):
        ProjectFactory.create(owner=user, name="Roadmap")
        theirs = Project(owner=other_user, name="Roadmap")
        theirs.full_clean()
        theirs.save()
        assert Project.objects.filter(name="Roadmap").count() == 2


def test_soft_deleted_project_is_hidden_from_objects_but_kept_in_all_objects():
    project = ProjectFactory.create()
    project.soft_delete()
    assert not Project.objects.filter(pk=project.pk).exists()
    assert Project.all_objects.get(pk=project.pk).deleted_at is not None


class TestTaskIsOpen:
    @pytest.mark.parametrize(
        ("status", "is_open"),
        [(Task.Status.TODO, True), (Task.Status.IN_PROGRESS, True), (Task.Status.DONE, False)],
    )
    def test_database_computes_is_open_from_status(self, status, is_open):
        task = TaskFactory.create(status=status)
        task.refresh_from_db()
        assert task.is_open is is_open
        assert Task.objects.filter(pk=task.pk, is_open=is_open).exists()

    def test_is_open_follows_a_status_change(self):
        task = TaskFactory.create(status=Task.Status.DONE)
        Task.objects.filter(pk=task.pk).update(status=Task.Status.TODO)
        task.refresh_from_db()
        assert task.is_open is True


class TestTaskPriority:
    @pytest.mark.parametrize("priority", [0, 5])
    def test_database_rejects_priority_outside_1_to_4(self, priority):
        task = TaskFactory.create()
        with pytest.raises(IntegrityError), transaction.atomic():
            Task.objects.filter(pk=task.pk).update(priority=priority)

    def test_full_clean_rejects_priority_outside_1_to_4(self):
        task = TaskFactory.build(project=ProjectFactory.create(), priority=7)
        with pytest.raises(ValidationError) as excinfo:
            task.full_clean()
        assert "priority" in excinfo.value.message_dict

    def test_defaults_to_medium(self):
        assert TaskFactory.create().priority == Task.Priority.MEDIUM


class TestTaskAssignee:
    def test_clean_rejects_an_assignee_who_is_not_a_project_member(self):
        task = TaskFactory.build(project=ProjectFactory.create(), assignee=UserFactory.create())
        with pytest.raises(ValidationError) as excinfo:
            task.full_clean()
        assert list(excinfo.value.message_dict) == ["assignee"]

    def test_clean_accepts_a_member_as_assignee(self, user):
        project = ProjectFactory.create(owner=user)
        TaskFactory.build(project=project, assignee=user).full_clean()
