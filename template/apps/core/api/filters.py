"""The API's query-string filters, strict: a value they cannot use is a 400 naming the
parameter, never silently ignored (DRF and django-filter drop unknown orderings and read
`?is_open=maybe` as no filter at all)."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from rest_framework import serializers
from rest_framework.filters import OrderingFilter as DRFOrderingFilter
from rest_framework.filters import SearchFilter as DRFSearchFilter
from rest_framework.request import Request
from rest_framework.views import APIView


class StrictBooleanField(forms.Field):
    """`true` or `false` (as OpenAPI clients send booleans), or absent; anything else is
    an error."""

    widget = forms.TextInput
    default_error_messages = {"invalid": "Enter true or false."}

    def to_python(self, value: Any) -> bool | None:
        if value in self.empty_values:
            return None
        if value in ("true", "false"):
            return value == "true"
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class BooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


class FilterSet(filters.FilterSet):
    """django-filter's FilterSet, with the strict booleans above for model boolean fields, and
    a parameter given without a value (`?project=`) refused: django-filter ignores it."""

    blank_message = "Give a value, or leave the parameter out."

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():  # so that the schema lists the code
            filter_.field.error_messages.setdefault("blank", self.blank_message)

    def is_valid(self) -> bool:
        valid: bool = super().is_valid()
        for name in self.form.fields:
            if self.data.get(name, None) == "":
                self.form.add_error(name, forms.ValidationError(self.blank_message, code="blank"))
                valid = False
        return valid

    FILTER_DEFAULTS = {
        **filters.FilterSet.FILTER_DEFAULTS,
        **{
            field: {"filter_class": BooleanFilter}
            for field, spec in filters.FilterSet.FILTER_DEFAULTS.items()
            if spec["filter_class"] is filters.BooleanFilter
        },
    }


class SearchFilter(DRFSearchFilter):
    """`?search=`, bounded, its errors (a NUL character, say) attached to `search`."""

    max_length = 200
    validation_error_codes = {"search": {"max_length", "null_characters_not_allowed"}}

    def get_search_terms(self, request: Request) -> list[str]:
        value = request.query_params.get(self.search_param, "")
        field = serializers.CharField(
            trim_whitespace=False, allow_blank=True, max_length=self.max_length
        )
        try:
            field.run_validation(value)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({self.search_param: exc.detail}) from exc
        return super().get_search_terms(request)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update(maxLength=self.max_length, pattern=r"^[^\u0000]*$")
        return parameters


class OrderingFilter(DRFOrderingFilter):
    """`?ordering=a,-b`: terms from the view's `ordering_fields` only, none repeated; anything
    else is a 400. The schema lists the accepted terms."""

    validation_error_codes = {"ordering": {"invalid"}}

    def get_ordering(
        self, request: Request, queryset: QuerySet[Any], view: APIView
    ) -> Sequence[str] | None:
        value = request.query_params.get(self.ordering_param)
        if value is None:
            return self.get_default_ordering(view)
        terms = [term.strip() for term in value.split(",")]
        allowed = self.allowed_terms(view, request, queryset)
        unknown = [term for term in terms if term not in allowed]
        if unknown or len(set(terms)) != len(terms):
            raise serializers.ValidationError(
                {
                    self.ordering_param: [
                        serializers.ErrorDetail(
                            "Order by one or more of: " + ", ".join(allowed) + ", each once.",
                            code="invalid",
                        )
                    ]
                }
            )
        return terms

    def allowed_terms(
        self, view: APIView, request: Request | None = None, queryset: Any = None
    ) -> list[str]:
        context = {"request": request} if request is not None else {}
        fields = [name for name, _ in self.get_valid_fields(queryset, view, context)]
        return [term for field in fields for term in (field, f"-{field}")]

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Comma-separated fields to order by; `-` before one for "
                "descending order.",
                "schema": {
                    "type": "array",
                    "items": {"type": "string", "enum": self.allowed_terms(view)},
                    "minItems": 1,
                    "uniqueItems": True,
                },
                "style": "form",
                "explode": False,
            }
        ]
