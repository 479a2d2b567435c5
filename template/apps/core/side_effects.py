"""What runs once a change is committed: never able to undo the change, or to fail its request.

A side effect (an e-mail, an event to clients) starts after the commit, so by the time it runs the
change is durable and the client must hear that it succeeded: an exception here would turn a
committed write into an error response, and a client that retried it would write it twice.
So every side effect runs robustly: a failure is logged with its context and counted
(`side_effect_failures_total{effect=...}`, apps/core/metrics.py), and the next one still runs.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.dispatch import Signal

from .metrics import SIDE_EFFECT_FAILURES

logger = logging.getLogger(__name__)


def after_commit(effect: str, func: Callable[[], object], /, **context: Any) -> None:
    """Call `func()` robustly once the current transaction commits (at once outside one).

    `effect` names it in logs and metrics ("<app>.<what it does>"); `context` (ids, not
    secrets) goes into the log line if it fails. Nothing runs if the transaction rolls back.
    """
    transaction.on_commit(lambda: run_robustly(effect, func, **context))


def run_robustly(effect: str, func: Callable[[], object], /, **context: Any) -> bool:
    """Call `func()`; a failure is logged and counted instead of raised. Returns success."""
    try:
        func()
    except Exception:
        _record_failure(effect, context, traceback=True)
        return False
    return True


def send_after_commit(signal: Signal, sender: object, /, **kwargs: Any) -> None:
    """Send `signal` once the current transaction commits, to each receiver robustly: one
    receiver failing neither stops the others nor reaches the code that made the change."""
    transaction.on_commit(lambda: _send_robustly(signal, sender, kwargs))


def _send_robustly(signal: Signal, sender: object, kwargs: dict[str, Any]) -> None:
    for receiver, result in signal.send_robust(sender, **kwargs):
        if isinstance(result, Exception):
            # send_robust has logged the traceback (logger "django.dispatch"); add the context.
            effect = f"{receiver.__module__}.{receiver.__qualname__}"
            _record_failure(effect, {**kwargs, "error": repr(result)}, traceback=False)


def _record_failure(effect: str, context: dict[str, Any], *, traceback: bool) -> None:
    SIDE_EFFECT_FAILURES.labels(effect=effect).inc()
    details = ", ".join(f"{key}={_short(value)}" for key, value in context.items())
    logger.error("Side effect %s failed after commit (%s)", effect, details, exc_info=traceback)


def _short(value: object) -> str:
    # Ids, not whole objects: the log line stays one readable line.
    text = str(getattr(value, "pk", value))
    return text if len(text) <= 120 else f"{text[:117]}..."
