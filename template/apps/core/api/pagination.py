from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N`, with the client choosing up to 100 rows per page by `?page_size=`."""

    page_size_query_param = "page_size"
    max_page_size = 100
