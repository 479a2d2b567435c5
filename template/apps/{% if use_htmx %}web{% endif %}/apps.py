from django.apps import AppConfig


class WebConfig(AppConfig):
    """The server-rendered site: layout, stylesheet, home page, the look of the account pages."""

    name = "apps.web"
    label = "web"
