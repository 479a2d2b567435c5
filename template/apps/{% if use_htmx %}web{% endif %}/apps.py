from django.apps import AppConfig


class WebConfig(AppConfig):
    """The server-rendered site: layout, stylesheet, sign-in and sign-up pages, home page."""

    name = "apps.web"
    label = "web"
