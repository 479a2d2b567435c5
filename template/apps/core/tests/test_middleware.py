import asyncio
import logging

import pytest
from asgiref.sync import async_to_sync, iscoroutinefunction
from django.http import HttpRequest, HttpResponse
from django.test import AsyncClient, Client, RequestFactory

from apps.core.middleware import HEADER, RequestIDLogFilter, RequestIDMiddleware, request_id
from apps.core.tests.async_support import async_test

# Any page that needs no database: its answer is a 404 in the API's error shape.
PAGE = "/api/v1/no-such-endpoint/"


def test_each_response_gets_a_fresh_request_id(client: Client) -> None:
    first, second = client.get(PAGE), client.get(PAGE)
    assert len(first[HEADER]) == 32
    assert first[HEADER] != second[HEADER]


def test_a_well_formed_incoming_id_is_propagated(client: Client) -> None:
    response = client.get(PAGE, headers={HEADER: "edge-proxy.42"})
    assert response[HEADER] == "edge-proxy.42"


@pytest.mark.parametrize("forged", ["", "a b", "x" * 129, "<script>", "id\r\nSet-Cookie: x=1"])
def test_a_malformed_incoming_id_is_replaced(client: Client, forged: str) -> None:
    response = client.get(PAGE, headers={HEADER: forged})
    assert response[HEADER] != forged
    assert len(response[HEADER]) == 32


def test_log_records_carry_the_id_during_the_request_only() -> None:
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        record = logging.LogRecord("apps", logging.INFO, __file__, 1, "inside", None, None)
        RequestIDLogFilter().filter(record)
        seen.append(record.__dict__["request_id"])
        return HttpResponse()

    response = RequestIDMiddleware(view)(RequestFactory().get("/"))
    assert seen == [response[HEADER]]
    assert request_id.get() == "-"  # reset once the request is over


def test_the_middleware_runs_natively_on_the_event_loop() -> None:
    async def view(request: HttpRequest) -> HttpResponse:
        await asyncio.sleep(0)
        return HttpResponse(request_id.get())

    middleware = RequestIDMiddleware(view)
    assert iscoroutinefunction(middleware)
    response = async_to_sync(middleware)(RequestFactory().get("/"))
    assert response.content.decode() == response[HEADER]


@async_test
async def test_async_client_sees_the_header() -> None:
    response = await AsyncClient().get(PAGE)
    assert len(response[HEADER]) == 32
