"""Request correlation: every response carries an X-Request-ID, and so does every log line.

Async-capable: under ASGI it runs on the event loop with no thread hop; under WSGI, Django
calls it synchronously.
"""

import contextvars
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase

HEADER = "X-Request-ID"
# Accept a caller's id (from a proxy or another service) only if it looks like one.
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIDLogFilter(logging.Filter):
    """Adds `request_id` to every log record (configured in settings.LOGGING)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class RequestIDMiddleware:
    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self.__acall__(request)
        token = self._start(request)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        return self._finish(request, response)

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        token = self._start(request)
        try:
            get_response: Callable[[HttpRequest], Awaitable[HttpResponseBase]] = self.get_response
            response = await get_response(request)
        finally:
            request_id.reset(token)
        return self._finish(request, response)

    @staticmethod
    def _start(request: HttpRequest) -> contextvars.Token[str]:
        incoming = request.headers.get(HEADER, "")
        value = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = value  # type: ignore[attr-defined]
        return request_id.set(value)

    @staticmethod
    def _finish(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        response[HEADER] = request.request_id  # type: ignore[attr-defined]
        return response
