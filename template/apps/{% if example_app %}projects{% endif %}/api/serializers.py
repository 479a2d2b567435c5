from typing import Any

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from apps.core.api.serializers import ModelSerializer, PrimaryKeyRelatedField, Serializer
from apps.projects import selectors
from apps.projects.models import Project, Task, TaskStatus
from apps.users.api.serializers import UserSummarySerializer
from apps.users.models import User


class ProjectSerializer(ModelSerializer[Project]):
    owner = UserSummarySerializer(read_only=True)
    members = UserSummarySerializer(many=True, read_only=True)
    # Annotated by selectors.projects_for.
    task_count = serializers.IntegerField(read_only=True)
    open_task_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "description",
            "owner",
            "members",
            "task_count",
            "open_task_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class ProjectSummarySerializer(ModelSerializer[Project]):
    class Meta:
        model = Project
        fields = ["id", "name"]
        read_only_fields = fields


def _request_user(field: serializers.Field[Any, Any, Any, Any]) -> User | None:
    """The signed-in user the field validates for (None while the schema is generated)."""
    request = field.context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    user: User = request.user
    return user


class MemberProjectField(PrimaryKeyRelatedField[Project]):
    """A project the requesting user is a member of; any other id "does not exist"."""

    def get_queryset(self) -> Any:
        user = _request_user(self)
        return Project.objects.filter(members=user) if user else Project._base_manager.none()


class CoMemberField(PrimaryKeyRelatedField[User]):
    """A user who shares a project with the requesting user; any other id "does not exist".

    Whether they are a member of this task's project is the model's rule (Task.clean).
    """

    def get_queryset(self) -> Any:
        user = _request_user(self)
        return selectors.members_of_shared_projects(user) if user else User.objects.none()


class TaskSerializer(ModelSerializer[Task]):
    """A task. Its project is chosen when it is created (`project_id`) and cannot change."""

    project = ProjectSummarySerializer(read_only=True)
    assignee = UserSummarySerializer(read_only=True, allow_null=True)
    assignee_id = CoMemberField(
        source="assignee",
        pk_field=serializers.UUIDField(),
        allow_null=True,
        required=False,
        write_only=True,
        help_text="A member of the task's project, or null to unassign.",
    )
    created_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "project",
            "title",
            "description",
            "status",
            "priority",
            "assignee",
            "assignee_id",
            "due_date",
            "is_open",
            "completed_at",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "is_open", "completed_at", "created_at", "updated_at"]


class TaskCreateSerializer(TaskSerializer):
    project_id = MemberProjectField(
        source="project",
        pk_field=serializers.UUIDField(),
        write_only=True,
        help_text="A project you are a member of.",
    )

    class Meta(TaskSerializer.Meta):
        fields = [*TaskSerializer.Meta.fields, "project_id"]


class ProjectStatsSerializer(Serializer):
    project = serializers.UUIDField()
    tasks = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text="Open tasks due before today.")
    by_status = inline_serializer(
        "ProjectStatsByStatus",
        fields={value: serializers.IntegerField() for value in TaskStatus.values},
    )


class DueSoonParamsSerializer(Serializer):
    days = serializers.IntegerField(
        min_value=1, max_value=90, default=7, help_text="How many days ahead to look."
    )
