from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Connect every app's signal receivers, kept in <app>/receivers.py by convention.
        autodiscover_modules("receivers")
