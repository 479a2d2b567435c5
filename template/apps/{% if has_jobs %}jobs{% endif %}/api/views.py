"""The exports API. Plain sync DRF views: they serve under WSGI and ASGI alike."""

import uuid
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any, cast

from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum, ServerErrorEnum
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound
from rest_framework.filters import BaseFilterBackend
from rest_framework.generics import get_object_or_404
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.errors import service_errors
from apps.core.api.exceptions import ServiceUnavailable
from apps.core.api.schema import error_response_serializer
from apps.jobs import selectors, services
from apps.jobs.models import IDEMPOTENCY_KEY_MAX_LENGTH, ExportJob, ExportStatus
from apps.projects.models import Project
from apps.projects.permissions import MEMBER_ACCESS
from apps.users.models import User

from .serializers import ExportAcceptedSerializer, ExportJobSerializer

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "maxLength": IDEMPOTENCY_KEY_MAX_LENGTH},
    OpenApiParameter.HEADER,
    description=(
        "Any unique string (a UUID, say). Sending the same key again within 24 hours returns "
        "the export it started, with status 200, instead of starting another (unless that "
        "request was answered 503: then the key starts the export now)."
    ),
)


QUEUE_UNAVAILABLE = "queue_unavailable"


class ExportFileGone(APIException):
    status_code = status.HTTP_410_GONE
    default_code = "gone"
    default_detail = "This export's file is no longer available. Please start a new export."


class IgnoreAcceptHeader(BaseContentNegotiation):
    """Errors in JSON whatever the client accepts: the download's success is a file anyway,
    and `Accept: text/csv` must not turn into 406 Not Acceptable."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


EXPORT_UNAVAILABLE = error_response_serializer(
    "ExportErrorResponse503",
    ServerErrorEnum,
    [QUEUE_UNAVAILABLE, ServiceUnavailable.default_code],
)

EXPORT_FILE_GONE = error_response_serializer(
    "ExportErrorResponse410", ClientErrorEnum, [ExportFileGone.default_code]
)


# No outer transaction even with ATOMIC_REQUESTS: the job must be committed before its message
# is published, and a failed publish must still answer the request (see enqueue_export).
@method_decorator(transaction.non_atomic_requests, name="dispatch")
@extend_validation_errors(["max_length"], field_name="Idempotency-Key")
@extend_validation_errors(["idempotency_key_reused"], field_name="non_field_errors")
class ProjectExportView(APIView):
    permission_classes = MEMBER_ACCESS

    @extend_schema(
        summary="Export a project's tasks as CSV",
        description=(
            "Starts a background export and answers at once; follow `url` (also in the "
            "`Location` header) until its status is `succeeded`, then fetch `download_url`."
        ),
        request=None,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            HTTPStatus.ACCEPTED: OpenApiResponse(
                ExportAcceptedSerializer, description="Export started."
            ),
            HTTPStatus.OK: OpenApiResponse(
                ExportAcceptedSerializer, description="The export this Idempotency-Key started."
            ),
            HTTPStatus.SERVICE_UNAVAILABLE: OpenApiResponse(
                EXPORT_UNAVAILABLE, description="Nothing was started."
            ),
        },
    )
    def post(self, request: Request, project_id: uuid.UUID, **kwargs: Any) -> Response:
        user = cast(User, request.user)
        project = get_object_or_404(Project.objects.filter(members=user), pk=project_id)
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
            raise serializers.ValidationError(
                {"Idempotency-Key": [serializers.ErrorDetail("Too long.", code="max_length")]}
            )
        with service_errors():
            job, created = services.request_export(project, actor=user, idempotency_key=key)
        if created:
            try:
                services.enqueue_export(job)
            except services.QueueUnavailable as exc:
                # The broker's outage, told apart from the others' by its code.
                raise ServiceUnavailable(
                    "Exports cannot be started right now. Please try again later.",
                    code=QUEUE_UNAVAILABLE,
                ) from exc
        data = ExportAcceptedSerializer(job, context={"request": request}).data
        return Response(
            data,
            status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
            headers={"Location": data["url"]},
        )


class ExportJobViewSet(viewsets.ReadOnlyModelViewSet[ExportJob]):
    """Your exports, newest first; nobody else's exist for you."""

    serializer_class = ExportJobSerializer
    permission_classes = MEMBER_ACCESS
    # The order is fixed, so no ?search= or ?ordering= (nor in the schema).
    filter_backends: list[type[BaseFilterBackend]] = []

    def get_queryset(self) -> QuerySet[ExportJob]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return ExportJob._base_manager.none()
        return selectors.exports_for(cast(User, self.request.user))

    @extend_schema(
        summary="Download an export",
        responses={
            (HTTPStatus.OK, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="CSV"),
            HTTPStatus.GONE: OpenApiResponse(
                EXPORT_FILE_GONE, description="The file is lost: export again."
            ),
        },
    )
    @action(detail=True, methods=["get"], content_negotiation_class=IgnoreAcceptHeader)
    def download(self, request: Request, pk: str | None = None, **kwargs: Any) -> FileResponse:
        job = self.get_object()
        if job.status != ExportStatus.SUCCEEDED or not job.file:
            raise NotFound("This export has no file yet.")
        try:
            # From the media storage every process shares (settings.STORAGES), which the
            # worker wrote it to.
            file = job.file.open("rb")
        except FileNotFoundError:
            raise ExportFileGone from None
        date = timezone.localtime(job.finished_at).date().isoformat()
        filename = f"{slugify(job.project.name) or 'project'}-tasks-{date}.csv"
        return FileResponse(file, as_attachment=True, filename=filename, content_type="text/csv")
