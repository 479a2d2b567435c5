from typing import Any

from rest_framework import pagination, serializers
from rest_framework.request import Request


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N`, with the client choosing from 1 to 100 rows per page by `?page_size=`.

    A page size out of bounds, or not a number, is a 400 naming `page_size`: DRF would
    silently use the default size instead, or cap it.
    """

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request: Request) -> int | None:
        if self.page_size_query_param not in request.query_params:
            return self.page_size
        field = serializers.IntegerField(min_value=1, max_value=self.max_page_size)
        try:
            size: int = field.run_validation(request.query_params[self.page_size_query_param])
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({self.page_size_query_param: exc.detail}) from exc
        return size

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters

    #: What a list operation's 400 can say about these parameters (apps/core/api/schema.py).
    validation_error_codes = {
        "page_size": {"invalid", "max_string_length", "min_value", "max_value"}
    }
