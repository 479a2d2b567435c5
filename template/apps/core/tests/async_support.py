"""Running `async def` tests the way Django's own TestCase does."""

import functools
from collections.abc import Callable, Coroutine
from typing import Any

from asgiref.sync import async_to_sync


def async_test[**P](test: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, None]:
    """Runs an async test inside async_to_sync.

    The ORM's async methods and sync_to_async() then run their database work on the test's
    own thread, so they use the test's connection and see (and roll back with) its transaction:
    plain `db` tests, no `transaction=True` needed. Sync fixtures run before, as usual.
    """

    @functools.wraps(test)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        async_to_sync(test)(*args, **kwargs)

    return run
