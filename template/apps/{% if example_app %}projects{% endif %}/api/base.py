"""The project and task endpoints as clients and the schema see them: querysets, permissions,
filters, serializers, schema declarations, and the writes, which go through the services.

views.py builds its views on these and adds the handlers that depend on how they are served.
"""

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import generics, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.filters import BaseFilterBackend
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.errors import field_renames, service_errors
from apps.core.api.filters import SearchFilter
from apps.core.api.requests import AuthenticatedRequest
from apps.projects import selectors, services
from apps.projects.filters import ProjectFilter, StableOrderingFilter, TaskFilter
from apps.projects.models import Project, Task
from apps.projects.permissions import MEMBER_ACCESS, IsProjectOwnerOrReadOnly

from . import members
from .serializers import (
    DueSoonParamsSerializer,
    ProjectSerializer,
    ProjectStatsSerializer,
    TaskCreateSerializer,
    TaskSerializer,
)

#: The actions that write a project or a task through a service.
WRITES = ["create", "update", "partial_update"]


class ProjectViewSetBase(viewsets.GenericViewSet[Project]):
    """Projects you are a member of. Only the owner may change or delete one."""

    request: AuthenticatedRequest
    serializer_class = ProjectSerializer
    permission_classes = [*MEMBER_ACCESS, IsProjectOwnerOrReadOnly]
    filter_backends = [DjangoFilterBackend, SearchFilter, StableOrderingFilter]
    filterset_class = ProjectFilter
    search_fields = ["name", "description"]
    ordering_fields = ["name", "created_at", "updated_at"]

    def get_queryset(self) -> QuerySet[Project]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Project._base_manager.none()
        return selectors.projects_for(self.request.user)

    def perform_create(self, serializer: serializers.BaseSerializer[Project]) -> None:
        with service_errors():
            project = services.create_project(owner=self.request.user, **serializer.validated_data)
        # Read it back through the selector so the response has members and task counts.
        serializer.instance = self.get_queryset().get(pk=project.pk)

    def perform_update(self, serializer: serializers.BaseSerializer[Project]) -> None:
        assert serializer.instance is not None
        with service_errors():
            services.update_project(
                project=serializer.instance,
                actor=self.request.user,
                **serializer.validated_data,
            )

    def perform_destroy(self, instance: Project) -> None:
        services.delete_project(project=instance, actor=self.request.user)

    def add_member_to(self, project: Project, data: Any) -> Response:
        """The add_member action once its project is found: validation (which may query)
        and the service."""
        serializer = members.MemberAddSerializer(data=data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        with service_errors({"user": "email"}):
            return members.add(project, actor=self.request.user, data=serializer.validated_data)

    def remove_member_from(self, project: Project, user_id: str) -> None:
        """The remove_member action once its project is found."""
        # get_object_or_404 also turns a malformed id into a 404.
        member = get_object_or_404(project.members.all(), pk=user_id)
        with service_errors({"user": "user_id"}):
            services.remove_member(project=project, actor=self.request.user, user=member)


def project_errors[V: type[APIView]](viewset: V) -> V:
    """Declares the errors the project services raise, besides the serializer's (which the
    schema finds by itself), on a viewset that has the actions they name."""
    for declare in [
        extend_validation_errors(["invalid"], field_name="user_id", actions=["remove_member"]),
        extend_validation_errors(
            members.ADD_ERROR_CODES, field_name="email", actions=["add_member"]
        ),
        extend_validation_errors(["duplicate_name"], field_name="name", actions=WRITES),
    ]:
        viewset = declare(viewset)
    return viewset


def add_member_action(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Routes `POST /projects/<id>/members/` to `handler`, with its schema."""
    document = extend_schema(
        summary="Add a member",
        description=members.ADD_DESCRIPTION,
        request=members.MemberAddSerializer,
        responses=members.ADD_RESPONSES,
    )
    route = action(detail=True, methods=["post"], url_path="members")
    return document(route(handler))


def remove_member_action(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Routes `DELETE /projects/<id>/members/<user_id>/` to `handler`, with its schema."""
    document = extend_schema(
        summary="Remove a member",
        description="Their open tasks in the project become unassigned.",
        request=None,
        parameters=[OpenApiParameter("user_id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        responses={HTTPStatus.NO_CONTENT: None},
    )
    route = action(
        detail=True,
        methods=["delete"],
        url_path=r"members/(?P<user_id>[^/.]+)",
        url_name="member-detail",
    )
    return document(route(handler))


class TaskViewSetBase(viewsets.GenericViewSet[Task]):
    """Tasks in the projects you are a member of; every member may create, edit and delete."""

    request: AuthenticatedRequest
    serializer_class = TaskSerializer
    permission_classes = MEMBER_ACCESS
    filter_backends = [DjangoFilterBackend, SearchFilter, StableOrderingFilter]
    filterset_class = TaskFilter
    search_fields = ["title", "description"]
    ordering_fields = ["due_date", "priority", "created_at", "updated_at"]

    def get_queryset(self) -> QuerySet[Task]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Task._base_manager.none()
        return selectors.tasks_for(self.request.user)

    def get_serializer_class(self) -> type[TaskSerializer]:
        return TaskCreateSerializer if self.action == "create" else TaskSerializer

    def perform_create(self, serializer: serializers.BaseSerializer[Task]) -> None:
        fields = dict(serializer.validated_data)
        project = fields.pop("project")
        with service_errors(field_renames(serializer)):
            serializer.instance = services.create_task(
                project=project, actor=self.request.user, **fields
            )

    def perform_update(self, serializer: serializers.BaseSerializer[Task]) -> None:
        assert serializer.instance is not None
        with service_errors(field_renames(serializer)):
            services.update_task(
                task=serializer.instance, actor=self.request.user, **serializer.validated_data
            )

    def perform_destroy(self, instance: Task) -> None:
        services.delete_task(task=instance, actor=self.request.user)


def task_errors[V: type[APIView]](viewset: V) -> V:
    """Declares the errors of the task writes, besides the serializer's, on a viewset."""
    # A malformed id is refused by the related fields' UUIDField ("invalid").
    for declare in [
        extend_validation_errors(["invalid"], field_name="project_id", actions=["create"]),
        extend_validation_errors(
            ["invalid", "not_a_member"], field_name="assignee_id", actions=WRITES
        ),
    ]:
        viewset = declare(viewset)
    return viewset


#: The create action's schema: a task is created with a `project_id`, answered without one.
task_create_schema = extend_schema(
    request=TaskCreateSerializer, responses={HTTPStatus.CREATED: TaskSerializer}
)


# No docstring: a view's docstring is its description in the schema, and this one has none.
@extend_schema(summary="Task counts of a project", responses=ProjectStatsSerializer)
class ProjectStatsViewBase(APIView):
    request: AuthenticatedRequest
    permission_classes = MEMBER_ACCESS

    def member_projects(self) -> QuerySet[Project]:
        """Where the project is looked up: a membership check, no annotations."""
        return Project.objects.filter(members=self.request.user)

    def stats_response(self, project: Project, counts: dict[str, int]) -> Response:
        return Response(ProjectStatsSerializer(selectors.project_stats(project, counts)).data)


@extend_schema(summary="My tasks due soon", parameters=[DueSoonParamsSerializer])
@extend_validation_errors(["invalid", "max_string_length", "min_value", "max_value"], "days")
class TasksDueSoonViewBase(generics.GenericAPIView[Task]):
    """Your open tasks due within the next `days` days (and overdue ones), soonest first."""

    request: AuthenticatedRequest
    serializer_class = TaskSerializer
    permission_classes = MEMBER_ACCESS
    # No ?search= or ?ordering= (the order is fixed), and so none in the schema either.
    filter_backends: list[type[BaseFilterBackend]] = []

    def get_queryset(self) -> QuerySet[Task]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Task._base_manager.none()
        params = DueSoonParamsSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)  # a 400 naming `days`; runs no query
        return selectors.tasks_due_soon(self.request.user, params.validated_data["days"])
