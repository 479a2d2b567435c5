from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, cast

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import SearchFilter
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from apps.projects import selectors, services
from apps.projects.filters import ProjectFilter, StableOrderingFilter, TaskFilter
from apps.projects.models import Project, Task
from apps.projects.permissions import IsProjectOwnerOrReadOnly
from apps.users.api.serializers import UserSummarySerializer
from apps.users.models import User

from .serializers import (
    MemberAddSerializer,
    ProjectSerializer,
    TaskCreateSerializer,
    TaskSerializer,
)


@contextmanager
def service_errors(renames: Mapping[str, str] | None = None) -> Iterator[None]:
    """Turn a service's Django ValidationError into a 400 that names the API's fields.

    `renames` maps model field names to the API's (e.g. assignee → assignee_id).
    """
    try:
        yield
    except DjangoValidationError as exc:
        names = {NON_FIELD_ERRORS: api_settings.NON_FIELD_ERRORS_KEY, **(renames or {})}
        detail = serializers.as_serializer_error(exc)
        raise serializers.ValidationError(
            {names.get(key, key): errors for key, errors in detail.items()}
        ) from exc


def field_renames(serializer: serializers.BaseSerializer[Any]) -> dict[str, str]:
    """Model field → serializer field, for writable fields whose `source` differs."""
    assert isinstance(serializer, serializers.Serializer)
    return {
        field.source: name
        for name, field in serializer.fields.items()
        if isinstance(field.source, str) and not field.read_only and field.source not in (name, "*")
    }


class ProjectViewSet(viewsets.ModelViewSet[Project]):
    """Projects you are a member of. Only the owner may change or delete one."""

    serializer_class = ProjectSerializer
    permission_classes = [IsAuthenticated, IsProjectOwnerOrReadOnly]
    filter_backends = [DjangoFilterBackend, SearchFilter, StableOrderingFilter]
    filterset_class = ProjectFilter
    search_fields = ["name", "description"]
    ordering_fields = ["name", "created_at", "updated_at"]

    def get_queryset(self) -> QuerySet[Project]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Project.objects.none()
        return selectors.projects_for(self.user)

    @property
    def user(self) -> User:
        return cast(User, self.request.user)

    def perform_create(self, serializer: serializers.BaseSerializer[Project]) -> None:
        with service_errors():
            project = services.create_project(owner=self.user, **serializer.validated_data)
        # Read it back through the selector so the response has members and task counts.
        serializer.instance = self.get_queryset().get(pk=project.pk)

    def perform_update(self, serializer: serializers.BaseSerializer[Project]) -> None:
        assert serializer.instance is not None
        with service_errors():
            services.update_project(
                serializer.instance, actor=self.user, **serializer.validated_data
            )

    def perform_destroy(self, instance: Project) -> None:
        services.delete_project(instance, actor=self.user)

    @extend_schema(
        summary="Add a member",
        request=MemberAddSerializer,
        responses={
            201: OpenApiResponse(UserSummarySerializer, description="Added."),
            200: OpenApiResponse(UserSummarySerializer, description="Already a member."),
        },
    )
    @action(detail=True, methods=["post"], url_path="members")
    def add_member(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        project = self.get_object()
        serializer = MemberAddSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        member: User = serializer.validated_data["email"]
        with service_errors({"user": "email"}):
            added = services.add_member(project, actor=self.user, user=member)
        return Response(
            UserSummarySerializer(member).data,
            status=status.HTTP_201_CREATED if added else status.HTTP_200_OK,
        )

    @extend_schema(
        summary="Remove a member",
        description="Their open tasks in the project become unassigned.",
        request=None,
        parameters=[OpenApiParameter("user_id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        responses={204: None},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"members/(?P<user_id>[^/.]+)",
        url_name="member-detail",
    )
    def remove_member(
        self, request: Request, user_id: str, pk: str | None = None, **kwargs: Any
    ) -> Response:
        project = self.get_object()
        # get_object_or_404 also turns a malformed id into a 404.
        member = get_object_or_404(project.members.all(), pk=user_id)
        with service_errors({"user": "user_id"}):
            services.remove_member(project, actor=self.user, user=member)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    create=extend_schema(request=TaskCreateSerializer, responses={201: TaskSerializer})
)
class TaskViewSet(viewsets.ModelViewSet[Task]):
    """Tasks in the projects you are a member of; every member may create, edit and delete."""

    serializer_class = TaskSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = [DjangoFilterBackend, SearchFilter, StableOrderingFilter]
    filterset_class = TaskFilter
    search_fields = ["title", "description"]
    ordering_fields = ["due_date", "priority", "created_at", "updated_at"]

    def get_queryset(self) -> QuerySet[Task]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Task.objects.none()
        return selectors.tasks_for(self.user)

    def get_serializer_class(self) -> type[TaskSerializer]:
        return TaskCreateSerializer if self.action == "create" else TaskSerializer

    @property
    def user(self) -> User:
        return cast(User, self.request.user)

    def perform_create(self, serializer: serializers.BaseSerializer[Task]) -> None:
        fields = dict(serializer.validated_data)
        project = fields.pop("project")
        with service_errors(field_renames(serializer)):
            serializer.instance = services.create_task(project, actor=self.user, **fields)

    def perform_update(self, serializer: serializers.BaseSerializer[Task]) -> None:
        assert serializer.instance is not None
        with service_errors(field_renames(serializer)):
            services.update_task(serializer.instance, actor=self.user, **serializer.validated_data)

    def perform_destroy(self, instance: Task) -> None:
        services.delete_task(instance, actor=self.user)
