"""The API's JSON parser: a body is JSON as the standard defines it, within bounds.

DRF's parser already refuses NaN and Infinity (STRICT_JSON). This one also answers 400, not
500, for nesting deep enough to exhaust Python's recursion limit, refuses any nesting deeper
than MAX_DEPTH (no request of this API needs more, and every layer costs the serializers
work), and reads no more of the body than DATA_UPLOAD_MAX_MEMORY_SIZE allows (a 413).
"""

import json
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework import parsers
from rest_framework.exceptions import ParseError

#: How deeply objects and arrays may nest in a request body.
MAX_DEPTH = 32


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value.")


def nesting_exceeds(data: Any, limit: int) -> bool:
    """Whether objects and arrays nest deeper than `limit` in `data` (without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, Mapping):
            children = list(value.values())
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        # DRF reads the request as a stream, which Django does not size-check as it does
        # request.body: the parser keeps to the limit itself.
        body = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(body) > limit:
            raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(body.decode(encoding), parse_constant=_reject_constant)
        except (ValueError, RecursionError) as exc:
            # UnicodeDecodeError is a ValueError; RecursionError is nesting past Python's limit.
            detail = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            raise ParseError(f"JSON parse error - {detail}") from None
        if nesting_exceeds(data, MAX_DEPTH):
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels")
        return data
