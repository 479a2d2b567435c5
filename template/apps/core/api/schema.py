"""The API's OpenAPI document (drf-spectacular, with drf-standardized-errors' error responses).

drf-standardized-errors documents each operation's errors from its serializer, filters,
permissions and throttles. This schema class adds what the project's own pieces declare:

- request headers a permission reads (`openapi_parameters`);
- codes of the 400s that the paginator and filter backends raise (`validation_error_codes`),
  and client errors a permission raises (`client_error_codes`);
- 401 where a view answers it without authenticating (simplejwt's token views, which name a
  WWW-Authenticate realm), with every code JWT authentication answers;
- 403 on every write: services refuse actors who may not make it (PermissionDenied);
- 413 (a body over DATA_UPLOAD_MAX_MEMORY_SIZE) on operations with a body, and 503 (a service
  the API depends on is down, apps/core/outages.py) on every operation.

Errors that services raise are declared on their views with drf-standardized-errors'
@extend_validation_errors. A postprocessing hook (document_nul_refusal) adds what DRF refuses
in every string of a request body and says nowhere: NUL characters.
"""

from typing import Any

from drf_spectacular.utils import PolymorphicProxySerializer
from drf_standardized_errors.openapi import AutoSchema as StandardizedAutoSchema
from drf_standardized_errors.openapi_serializers import (
    ClientErrorEnum,
    ErrorCode401Enum,
    ParseErrorCodeEnum,
    ServerErrorEnum,
)
from inflection import camelize
from rest_framework import serializers

from .exceptions import PayloadTooLarge, ServiceUnavailable


def error_response_serializer(
    name: str, error_type: type[ClientErrorEnum | ServerErrorEnum], codes: list[str]
) -> type[serializers.Serializer[Any]]:
    """A serializer of the API's error shape with these codes, named `name` in the schema."""

    class Error(serializers.Serializer[Any]):
        code = serializers.ChoiceField(choices=[(code, code) for code in codes])
        detail = serializers.CharField()
        attr = serializers.CharField(allow_null=True)

        class Meta:
            # drf-standardized-errors' suffix: its enum hook leaves `code` inline.
            ref_name = f"{name}ErrorComponent"

    class ErrorResponse(serializers.Serializer[Any]):
        type = serializers.ChoiceField(choices=error_type.choices)
        errors = Error(many=True)  # type: ignore[assignment]  # the error shape's name

        class Meta:
            ref_name = name

    return ErrorResponse


ErrorResponse401Serializer = error_response_serializer(
    "ErrorResponse401",
    ClientErrorEnum,
    [
        *ErrorCode401Enum.values,
        # simplejwt: a wrong e-mail or password, and a token refused for any reason
        "no_active_account",
        "token_not_valid",
        "bad_authorization_header",
        "user_not_found",
        "user_inactive",
        "password_changed",
    ],
)
ErrorResponse413Serializer = error_response_serializer(
    "ErrorResponse413", ClientErrorEnum, [PayloadTooLarge.default_code]
)
ErrorResponse503Serializer = error_response_serializer(
    "ErrorResponse503", ServerErrorEnum, [ServiceUnavailable.default_code]
)


class AutoSchema(StandardizedAutoSchema):
    def get_override_parameters(self) -> list[Any]:
        parameters: list[Any] = list(super().get_override_parameters())
        for permission in self.view.get_permissions():
            parameters.extend(getattr(permission, "openapi_parameters", ()))
        return parameters

    def _permission_declarations(self, name: str) -> list[Any]:
        return [
            getattr(permission, name)
            for permission in self.view.get_permissions()
            if hasattr(permission, name)
        ]

    def _get_extra_validation_errors(self) -> dict[str, set[str]]:
        codes = dict(super()._get_extra_validation_errors())
        sources: list[Any] = []
        if self._is_list_view():
            sources.append(self._get_paginator())
            sources.extend(backend() for backend in self.get_filter_backends())
        for source in sources:
            for field, field_codes in getattr(source, "validation_error_codes", {}).items():
                codes[field] = {*codes.get(field, ()), *field_codes}
        return codes

    def _should_add_http401_error_response(self) -> bool:
        realm = getattr(self.view, "www_authenticate_realm", None)
        return super()._should_add_http401_error_response() or realm is not None

    def _should_add_http403_error_response(self) -> bool:
        writes = self.method in ("POST", "PUT", "PATCH", "DELETE")
        return super()._should_add_http403_error_response() or (writes and any(self.get_auth()))

    def _should_add_error_response(self, responses: dict[str, Any], status_code: str) -> bool:
        if status_code == "413":
            return self.method in ("PUT", "PATCH", "POST") and super()._should_add_error_response(
                responses, status_code
            )
        return super()._should_add_error_response(responses, status_code)

    def _get_http400_serializer(self) -> Any:
        serializer = super()._get_http400_serializer()
        assert isinstance(serializer, PolymorphicProxySerializer)
        extra = sorted(
            {
                code
                for codes in self._permission_declarations("client_error_codes")
                for code in codes
            }
        )
        client_error = ClientErrorEnum.CLIENT_ERROR.value
        if extra and client_error in serializer.serializers:
            serializer.serializers[client_error] = error_response_serializer(
                f"{camelize(self.get_operation_id())}ClientError",
                ClientErrorEnum,
                [ParseErrorCodeEnum.PARSE_ERROR.value, *extra],
            )
        return serializer


def document_nul_refusal(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: DRF refuses NUL in any string it reads (PostgreSQL cannot store it),
    so every string of a request body without a pattern of its own says so."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if not name.endswith("Request"):  # COMPONENT_SPLIT_REQUEST: the request bodies
            continue
        for field in component.get("properties", {}).values():
            if field.get("type") == "string" and not {"pattern", "format", "enum"} & field.keys():
                field["pattern"] = r"^[^\u0000]*$"
    return result
