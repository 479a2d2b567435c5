"""The `page_url` tag: a link to a page of the current organization (see apps.web.links).

In a template: `page_url "projects:board" pk=project.pk` inside the tag brackets;
`optional_page_url … as name` gives "" for a page this project does not have, as Django's
`url … as name` does."""

from typing import Any

from django import template
from django.urls import NoReverseMatch

from apps.web.links import page_url as _page_url

register = template.Library()


@register.simple_tag
def page_url(viewname: str, **kwargs: Any) -> str:
    return _page_url(viewname, **kwargs)


@register.simple_tag
def optional_page_url(viewname: str, **kwargs: Any) -> str:
    try:
        return _page_url(viewname, **kwargs)
    except NoReverseMatch:
        return ""
