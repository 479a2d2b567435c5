from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "apps.projects"
    verbose_name = "Projects"

    def ready(self) -> None:
        # Connects the receivers that end a user's part in projects when their access ends.
        from . import offboarding  # noqa: F401
