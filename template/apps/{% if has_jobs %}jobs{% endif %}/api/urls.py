from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import ExportJobViewSet, ProjectExportView

router = SimpleRouter()
router.register("exports", ExportJobViewSet, basename="export")

urlpatterns = [
    path("projects/<uuid:project_id>/exports/", ProjectExportView.as_view(), name="project-export"),
    *router.urls,
]
