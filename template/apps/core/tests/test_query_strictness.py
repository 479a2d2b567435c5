"""The paginator and filter backends refuse what they cannot use, naming the parameter,
instead of silently falling back to their defaults."""

from typing import Any

import pytest
from django import forms
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from apps.core.api.filters import OrderingFilter, SearchFilter, StrictBooleanField
from apps.core.api.pagination import PageNumberPagination


def get(**params: str) -> Request:
    return Request(APIRequestFactory().get("/", params))


def error_of(exc: pytest.ExceptionInfo[serializers.ValidationError]) -> Any:
    return exc.value.get_codes()


class View:
    ordering_fields = ["name", "created_at"]
    ordering = ["name"]


def ordering(request: Request) -> Any:
    view: Any = View()
    queryset: Any = None  # unused when the view names its ordering_fields
    return OrderingFilter().get_ordering(request, queryset, view)


@pytest.mark.parametrize(
    ("size", "code"),
    [
        ("0", "min_value"),
        ("-5", "min_value"),
        ("101", "max_value"),
        ("abc", "invalid"),
        ("", "invalid"),
    ],
)
def test_a_page_size_out_of_bounds_is_refused(size: str, code: str) -> None:
    with pytest.raises(serializers.ValidationError) as exc:
        PageNumberPagination().get_page_size(get(page_size=size))
    assert error_of(exc) == {"page_size": [code]}


@pytest.mark.parametrize("size", ["1", "100"])
def test_a_page_size_within_bounds_is_used(size: str) -> None:
    assert PageNumberPagination().get_page_size(get(page_size=size)) == int(size)


@pytest.mark.parametrize(
    ("number", "code"), [("0", "min_value"), ("abc", "invalid"), ("", "invalid")]
)
def test_a_page_that_is_not_a_number_from_1_is_refused(number: str, code: str) -> None:
    with pytest.raises(serializers.ValidationError) as exc:
        PageNumberPagination().paginate_queryset([1, 2, 3], get(page=number))
    assert error_of(exc) == {"page": [code]}


def test_no_page_size_is_the_default() -> None:
    paginator = PageNumberPagination()
    assert paginator.get_page_size(get()) == paginator.page_size


@pytest.mark.parametrize("value", ["password", "name,secret", "-name,-name", "", "name,"])
def test_an_unknown_or_repeated_ordering_is_refused(value: str) -> None:
    with pytest.raises(serializers.ValidationError) as exc:
        ordering(get(ordering=value))
    assert error_of(exc) == {"ordering": ["invalid"]}


def test_known_orderings_are_used() -> None:
    assert ordering(get(ordering="-created_at, name")) == ["-created_at", "name"]
    assert ordering(get()) == ["name"]


@pytest.mark.parametrize(
    ("search", "code"), [("a\x00b", "null_characters_not_allowed"), ("x" * 201, "max_length")]
)
def test_an_unusable_search_is_refused(search: str, code: str) -> None:
    with pytest.raises(serializers.ValidationError) as exc:
        SearchFilter().get_search_terms(get(search=search))
    assert error_of(exc) == {"search": [code]}


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("false", False), ("", None)])
def test_booleans_are_true_or_false(value: str, expected: bool | None) -> None:
    assert StrictBooleanField(required=False).clean(value) is expected


@pytest.mark.parametrize("value", ["maybe", "1", "yes", "True"])
def test_any_other_boolean_is_refused(value: str) -> None:
    with pytest.raises(forms.ValidationError) as exc:
        StrictBooleanField(required=False).clean(value)
    assert exc.value.code == "invalid"
