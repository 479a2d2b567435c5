"""Base serializers of the API: strict about the text they accept.

- A string field takes a JSON string only: DRF turns 123 into "123".
- A one-line text field (a model CharField: names, titles) refuses control characters.
- Every text field is bounded: a model TextField, which has no max_length, takes up to
  TEXT_MAX_LENGTH characters here.
"""

from collections.abc import Mapping
from typing import Any, cast

from django.core.validators import RegexValidator
from django.db import models
from rest_framework import serializers

#: The longest text a TextField takes through the API.
TEXT_MAX_LENGTH = 10_000


#: No control characters (Unicode category Cc: line breaks, tabs, escapes...) in a name.
validate_single_line = RegexValidator(
    r"[\x00-\x1f\x7f-\x9f]",
    inverse_match=True,
    message="Control characters (such as line breaks or tabs) are not allowed.",
    code="control_characters",
)


class StrictStringsMixin:
    """Answers a 400 ("Not a valid string.") for a non-string value of a string field."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            fields = cast(serializers.Serializer[Any], self).fields
            errors = {
                name: [
                    serializers.ErrorDetail(str(field.error_messages["invalid"]), code="invalid")
                ]
                for name, field in fields.items()
                if isinstance(field, serializers.CharField)
                and not field.read_only
                and data.get(name) is not None
                and not isinstance(data[name], str)
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)  # type: ignore[misc]


class Serializer(StrictStringsMixin, serializers.Serializer[Any]):
    pass


class ModelSerializer[M: models.Model](StrictStringsMixin, serializers.ModelSerializer[M]):
    def build_standard_field(
        self, field_name: str, model_field: "models.Field[Any, Any]"
    ) -> tuple[type[serializers.Field[Any, Any, Any, Any]], dict[str, Any]]:
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if issubclass(field_class, serializers.CharField):
            if isinstance(model_field, models.TextField):
                field_kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
            else:
                field_kwargs["validators"] = [
                    *field_kwargs.get("validators", []),
                    validate_single_line,
                ]
        return field_class, field_kwargs
