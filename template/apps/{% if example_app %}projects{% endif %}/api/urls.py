from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import ProjectStatsView, ProjectViewSet, TasksDueSoonView, TaskViewSet

router = SimpleRouter()
router.register("projects", ProjectViewSet, basename="project")
router.register("tasks", TaskViewSet, basename="task")

urlpatterns = [
    # Ahead of the router, whose `tasks/<pk>/` route would take "due-soon" for a task id.
    path("tasks/due-soon/", TasksDueSoonView.as_view(), name="task-due-soon"),
    path("projects/<uuid:pk>/stats/", ProjectStatsView.as_view(), name="project-stats"),
    *router.urls,
]
