"""Error pages: JSON under /api/, in the same shape as the API's own errors.

The 500 handler also answers the outages of apps/core/outages.py, wherever they happen outside
the API's views (a page, the admin, a middleware reading the session): 503 with Retry-After.
"""

import logging
import sys
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import TemplateDoesNotExist, loader
from django.views import defaults

from .outages import OUTAGES, RETRY_AFTER_SECONDS, describe

logger = logging.getLogger(__name__)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _error(code: str, detail: str, status: int) -> JsonResponse:
    return JsonResponse(
        {
            "type": "client_error" if status < HTTPStatus.INTERNAL_SERVER_ERROR else "server_error",
            "errors": [{"code": code, "detail": detail, "attr": None}],
        },
        status=status,
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _error("not_found", "Not found.", HTTPStatus.NOT_FOUND)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    exception = sys.exc_info()[1]  # Django calls this handler while handling the exception
    if isinstance(exception, OUTAGES):
        logger.warning("Answered 503: %s", describe(exception))
        return service_unavailable(request)
    if _is_api(request):
        return _error("error", "A server error occurred.", HTTPStatus.INTERNAL_SERVER_ERROR)
    return defaults.server_error(request)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    detail = "The service is temporarily unavailable. Please try again shortly."
    response: HttpResponse
    if _is_api(request):
        response = _error("service_unavailable", detail, HTTPStatus.SERVICE_UNAVAILABLE)
    else:
        response = HttpResponse(_unavailable_page(detail), status=HTTPStatus.SERVICE_UNAVAILABLE)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _unavailable_page(detail: str) -> str:
    # Rendered without the request: its context processors may need what is down.
    try:
        return loader.render_to_string("503.html")
    except TemplateDoesNotExist:
        return defaults.ERROR_PAGE_TEMPLATE % {"title": "Service Unavailable", "details": detail}
