"""{% page_url "projects:board" pk=project.pk %}: a link to a page of the current organization."""

from typing import Any

from django import template

from apps.web.links import page_url as _page_url

register = template.Library()


@register.simple_tag
def page_url(viewname: str, **kwargs: Any) -> str:
    return _page_url(viewname, **kwargs)
