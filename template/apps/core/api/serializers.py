"""Base serializers of the API: strict about the text they accept.

- A string field takes a JSON string only: DRF turns 123 into "123".
- A one-line text field (a model CharField: names, titles) refuses control characters.
- Every text field is bounded: a model TextField, which has no max_length, takes up to
  TEXT_MAX_LENGTH characters here.
- A reference to another row is its id or null, never "" (which DRF reads as null).
"""

from collections.abc import Mapping
from typing import Any, cast

from django.db import models
from rest_framework import serializers
from rest_framework.fields import empty

from apps.core.validators import (
    TEXT_MAX_LENGTH,
    validate_single_line,
    validate_single_line_not_blank,
)

# No docstrings on these bases: drf-spectacular would describe every serializer without one of
# its own with them.


class StrictStringsMixin:
    # A 400 ("Not a valid string.") for a non-string value of a string field.

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
        # Plain text only: e-mail addresses, slugs and URLs have patterns of their own.
        if field_class is serializers.CharField:
            if isinstance(model_field, models.TextField):
                field_kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
            else:
                validator = (
                    validate_single_line
                    if field_kwargs.get("allow_blank")
                    else validate_single_line_not_blank
                )
                field_kwargs["validators"] = [*field_kwargs.get("validators", []), validator]
        return field_class, field_kwargs


class PrimaryKeyRelatedField[M: models.Model](serializers.PrimaryKeyRelatedField[M]):
    def run_validation(self, data: Any = empty) -> Any:
        if data == "":
            self.fail("incorrect_type", data_type="empty string")
        return super().run_validation(data)
