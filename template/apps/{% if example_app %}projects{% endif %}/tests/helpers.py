from http import HTTPStatus
from typing import Any

from apps.core.api.pagination import PageNumberPagination

#: Query parameters of a list whose every row a test checks: one page holds them all, whatever
#: API_PAGE_SIZE (REST_FRAMEWORK["PAGE_SIZE"]) a project chooses.
ONE_PAGE = {"page_size": PageNumberPagination.max_page_size}


def error_attrs(response: Any) -> list[str | None]:
    """The `attr` of each error in a drf-standardized-errors validation error body."""
    body = response.json()
    assert body["type"] == "validation_error", body
    return [error["attr"] for error in body["errors"]]


def result_ids(response: Any) -> list[str]:
    """The ids on one page of a paginated list, in order."""
    assert response.status_code == HTTPStatus.OK, response.json()
    return [row["id"] for row in response.json()["results"]]
