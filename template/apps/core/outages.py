"""What an outage of a service the project depends on looks like from inside a request.

Such a request is not wrong and the code is not broken: the answer is 503 with Retry-After
(apps/core/api/exceptions.py for the API, apps/core/errors.py for pages), logged as a warning
rather than reported, and mailed, as a server error for every request while the outage lasts.
"""

from django.db import InterfaceError as DatabaseInterfaceError
from django.db import OperationalError as DatabaseOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

#: Seconds a client should wait before retrying.
RETRY_AFTER_SECONDS = 5

#: Exceptions that mean the database or Redis is unreachable.
OUTAGES: tuple[type[Exception], ...] = (
    DatabaseOperationalError,
    DatabaseInterfaceError,
    RedisConnectionError,
    RedisTimeoutError,
)


def describe(exc: BaseException) -> str:
    return f"{type(exc).__module__}.{type(exc).__name__}: {exc}".strip()
