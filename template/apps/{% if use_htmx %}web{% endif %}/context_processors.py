"""Template context every page of the site needs."""

from typing import Any

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch

from .links import page_url


def site(request: HttpRequest) -> dict[str, Any]:
    """`site_name`; `site_sections`, the SITE_SECTIONS that exist where the request is (an
    organization's host or URL prefix, or neither) as {"label", "url", "current"}; and
    `live_updates`, whether pages can listen to WebSocket events (Channels)."""
    sections = []
    for label, viewname in settings.SITE_SECTIONS:
        try:
            url = page_url(viewname)
        except NoReverseMatch:  # a section of organizations, outside any organization
            continue
        current = request.path_info.startswith(url)
        sections.append({"label": label, "url": url, "current": current})
    return {
        "site_name": settings.SITE_NAME,
        "site_sections": sections,
        "live_updates": apps.is_installed("apps.realtime"),
    }
