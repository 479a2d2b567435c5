"""Probes for load balancers and orchestrators, answered before anything else runs.

/healthz (liveness) answers as long as the process serves requests; it touches nothing else, so
an outage of a service does not get healthy processes restarted. /readyz (readiness) checks
every service the project uses (settings.HEALTH_CHECKS) at once, each in a thread of its own,
and answers 503 naming the failing ones within READINESS_DEADLINE seconds, however a service
fails: refused, erroring or hanging.

ProbeMiddleware comes first in MIDDLEWARE: probes arrive with whatever Host the orchestrator
uses (127.0.0.1 in the image's HEALTHCHECK, a pod's IP), which ALLOWED_HOSTS rightly refuses
for every other request; they never reach a middleware that reads the host, the session or
the user.
"""

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from http import HTTPStatus
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

#: The longest /readyz takes to answer, whatever the services do.
READINESS_DEADLINE = 1.5


def check_database() -> None:
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
        finally:
            connections[alias].close()  # this thread's connection (back to the pool, if any)


def check_cache() -> None:
    key, value = f"readyz:{uuid.uuid4().hex}", "ok"
    cache.set(key, value, timeout=5)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not return the value just written")
    finally:
        cache.delete(key)


class Readiness:
    """Runs the checks concurrently; a check still running from an earlier probe (a hung
    service) is reported unavailable instead of being started again, so probes never pile
    threads up."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(thread_name_prefix="readyz")
        self._running: dict[str, Future[None]] = {}
        self._lock = threading.Lock()

    def checks(self) -> dict[str, Callable[[], None]]:
        return {name: import_string(path) for name, path in settings.HEALTH_CHECKS.items()}

    def run(self) -> dict[str, str]:
        futures: dict[str, Future[None]] = {}
        results: dict[str, str] = {}
        with self._lock:
            for name, check in self.checks().items():
                running = self._running.get(name)
                if running is not None and not running.done():
                    results[name] = "unavailable"
                    continue
                futures[name] = self._running[name] = self._executor.submit(check)
        wait(futures.values(), timeout=READINESS_DEADLINE)
        for name, future in futures.items():
            results[name] = self._outcome(name, future)
        return dict(sorted(results.items()))

    @staticmethod
    def _outcome(name: str, future: Future[None]) -> str:
        if not future.done():
            logger.warning("Readiness check %s gave no answer in %ss", name, READINESS_DEADLINE)
            return "unavailable"
        if (error := future.exception()) is not None:
            # The probe's answer is the report; the reason goes to the logs.
            logger.warning("Readiness check %s failed: %r", name, error)
            return "unavailable"
        return "ok"


readiness = Readiness()


def liveness_response(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def readiness_response(request: HttpRequest) -> HttpResponse:
    results = readiness.run()
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": results},
        status=HTTPStatus.OK if healthy else HTTPStatus.SERVICE_UNAVAILABLE,
    )


PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": liveness_response,
    "/readyz": readiness_response,
}


def answer_probe(
    request: HttpRequest, probe: Callable[[HttpRequest], HttpResponse]
) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    response = probe(request)
    add_never_cache_headers(response)
    return response


class ProbeMiddleware:
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
        probe = PROBES.get(request.path_info)
        if probe is not None:
            return answer_probe(request, probe)
        return self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> Any:
        probe = PROBES.get(request.path_info)
        if probe is not None:
            # Off the event loop: the checks block (for at most READINESS_DEADLINE).
            return await sync_to_async(answer_probe, thread_sensitive=False)(request, probe)
        return await self.get_response(request)
