from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from apps.core.api.serializers import ModelSerializer
from apps.jobs.models import ExportJob, ExportStatus
from apps.projects.api.serializers import ProjectSummarySerializer


class ExportAcceptedSerializer(ModelSerializer[ExportJob]):
    """What a new export request answers: where to follow the job."""

    url = serializers.HyperlinkedIdentityField(
        view_name="export-detail", help_text="Poll this for progress."
    )

    class Meta:
        model = ExportJob
        fields = ["id", "status", "url"]
        read_only_fields = fields


class ExportJobSerializer(ModelSerializer[ExportJob]):
    url = serializers.HyperlinkedIdentityField(view_name="export-detail")
    project = ProjectSummarySerializer(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "url",
            "project",
            "status",
            "processed_rows",
            "total_rows",
            "error",
            "download_url",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.URLField(allow_null=True, help_text="The CSV, once the export succeeded.")
    )
    def get_download_url(self, job: ExportJob) -> str | None:
        if job.status != ExportStatus.SUCCEEDED:
            return None
        return reverse("export-download", kwargs={"pk": job.pk}, request=self.context["request"])
