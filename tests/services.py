"""Detect the PostgreSQL and Redis the heavier tiers use, and decide skip (local) vs fail (CI)."""

from __future__ import annotations

import os
import socket

import pytest

SERVICES = {"postgres": ("127.0.0.1", 5432), "redis": ("127.0.0.1", 6379)}


def _reachable(host: str, port: int, timeout: float = 1.0) -> bool:
    # A TCP connect is enough: PostgreSQL runs with trust auth in CI, and the outer env has no
    # psycopg to try a real login with.
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def postgres_available() -> bool:
    return _reachable(*SERVICES["postgres"])


def redis_available() -> bool:
    return _reachable(*SERVICES["redis"])


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require_service(name: str) -> None:
    """Skip the calling test when `name` is down locally; fail it in CI, where it must run."""
    host, port = SERVICES[name]
    if _reachable(host, port):
        return
    reason = f"{name} is not reachable on {host}:{port}"
    if in_ci():
        pytest.fail(f"{reason}, and CI=true requires it")
    pytest.skip(reason)
