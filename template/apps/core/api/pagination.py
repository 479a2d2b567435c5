from typing import Any

from rest_framework import pagination, serializers
from rest_framework.request import Request


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N`, with the client choosing from 1 to 100 rows per page by `?page_size=`.

    A page size out of bounds, or not a number, is a 400 naming `page_size`: DRF would
    silently use the default size instead, or cap it. So is a page that is not a number from
    1 (DRF answers 404 for it, as for a page past the last, which still is one).
    """

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request: Request) -> int | None:
        if self.page_size_query_param not in request.query_params:
            return self.page_size
        return self._validated(request, self.page_size_query_param, self.max_page_size)

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        if self.page_query_param in request.query_params:
            self._validated(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def _validated(self, request: Request, name: str, max_value: int | None = None) -> int:
        field = (
            serializers.IntegerField(min_value=1)
            if max_value is None
            else serializers.IntegerField(min_value=1, max_value=max_value)
        )
        try:
            value: int = field.run_validation(request.query_params[name])
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({name: exc.detail}) from exc
        return value

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters

    #: What a list operation's 400 can say about these parameters (apps/core/api/schema.py).
    validation_error_codes = {
        "page": {"invalid", "max_string_length", "min_value"},
        "page_size": {"invalid", "max_string_length", "min_value", "max_value"},
    }
