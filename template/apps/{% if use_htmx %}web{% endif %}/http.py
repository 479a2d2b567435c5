"""Requests as django-htmx's middleware leaves them, and what a view answers them with."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """The request type of views: `request.htmx` tells what htmx asked (for type checkers)."""

    htmx: HtmxDetails


def wants_fragment(request: HtmxHttpRequest) -> bool:
    """True when htmx asked for the part of a page that changed.

    A boosted request replaces the whole page, and so does htmx restoring a page of its
    history that it no longer has in its cache: both get the whole page.
    """
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request
