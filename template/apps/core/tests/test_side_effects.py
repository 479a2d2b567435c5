"""Side effects after commit: a failure is logged and counted, never raised, and the others run."""

import logging
from typing import Any

import pytest
from django.db import transaction
from django.dispatch import Signal
from prometheus_client import REGISTRY

from apps.core.side_effects import after_commit, send_after_commit

pytestmark = pytest.mark.django_db


def failures(effect: str) -> float:
    return REGISTRY.get_sample_value("side_effect_failures_total", {"effect": effect}) or 0.0


def test_a_failing_side_effect_is_logged_and_counted_and_the_next_one_runs(
    django_capture_on_commit_callbacks: Any, caplog: pytest.LogCaptureFixture
) -> None:
    ran: list[str] = []

    def broken() -> None:
        raise ConnectionError("the mail server is down")

    before = failures("test.broken")
    with django_capture_on_commit_callbacks(execute=True):
        after_commit("test.broken", broken, invitation="a1b2")
        after_commit("test.working", lambda: ran.append("working"))
        assert ran == [], "nothing runs before the commit"

    assert ran == ["working"]
    assert failures("test.broken") == before + 1
    [record] = [r for r in caplog.records if r.name == "apps.core.side_effects"]
    assert record.levelno == logging.ERROR
    assert "test.broken" in record.getMessage()
    assert "invitation=a1b2" in record.getMessage()
    assert record.exc_info is not None  # the traceback is in the log


def test_a_failing_receiver_neither_stops_the_others_nor_raises(
    django_capture_on_commit_callbacks: Any, caplog: pytest.LogCaptureFixture
) -> None:
    signal = Signal()
    received: list[object] = []

    def broken(sender: object, **kwargs: Any) -> None:
        raise ConnectionError("the service is down")

    def working(sender: object, **kwargs: Any) -> None:
        received.append(kwargs["task_id"])

    signal.connect(broken, weak=False)
    signal.connect(working, weak=False)
    effect = f"{__name__}.{broken.__qualname__}"
    before = failures(effect)
    with django_capture_on_commit_callbacks(execute=True):
        send_after_commit(signal, None, task_id=7)

    assert received == [7]
    assert failures(effect) == before + 1
    assert any(effect in r.getMessage() and "task_id=7" in r.getMessage() for r in caplog.records)


def test_nothing_runs_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks: Any,
) -> None:
    ran: list[str] = []

    def change_then_fail() -> None:
        with transaction.atomic():
            after_commit("test.rolled_back", lambda: ran.append("sent"))
            raise RuntimeError("the change fails")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        change_then_fail()
    assert callbacks == []
    assert ran == []
