"""Service errors as API errors."""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.settings import api_settings


@contextmanager
def service_errors(renames: Mapping[str, str] | None = None) -> Iterator[None]:
    """Turn a service's Django ValidationError into a 400 that names the API's fields.

    `renames` maps model field names to the API's (e.g. assignee → assignee_id).
    """
    try:
        yield
    except DjangoValidationError as exc:
        names = {NON_FIELD_ERRORS: api_settings.NON_FIELD_ERRORS_KEY, **(renames or {})}
        detail = serializers.as_serializer_error(exc)
        raise serializers.ValidationError(
            {names.get(key, key): errors for key, errors in detail.items()}
        ) from exc


def field_renames(serializer: serializers.BaseSerializer[Any]) -> dict[str, str]:
    """Model field → serializer field, for writable fields whose `source` differs."""
    assert isinstance(serializer, serializers.Serializer)
    return {
        field.source: name
        for name, field in serializer.fields.items()
        if isinstance(field.source, str) and not field.read_only and field.source not in (name, "*")
    }
