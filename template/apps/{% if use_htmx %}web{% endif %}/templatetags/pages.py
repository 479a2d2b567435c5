"""The `page_url` tag: a link to a page of the current organization (see apps.web.links).

In a template: `page_url "projects:board" pk=project.pk` inside the tag brackets."""

from typing import Any

from django import template

from apps.web.links import page_url as _page_url

register = template.Library()


@register.simple_tag
def page_url(viewname: str, **kwargs: Any) -> str:
    return _page_url(viewname, **kwargs)
