"""Tier 3: each suite variant is synced with uv and passes its own checks and test suite.

One test per (variant, step), so a failure names the step. The render + `uv sync` is shared with
the other tiers on generated projects (tests/generated.py).
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
import yaml
from generated import (
    clean_env,
    passes,
    postgres_only,
    postgres_url,
    python,
    run,
    synced_project,
)
from services import postgres_available, require_service
from variants import Variant, select

pytestmark = pytest.mark.suite

VARIANTS = select("suite")


@pytest.fixture(scope="module", params=VARIANTS, ids=lambda v: v.name)
def variant(request: pytest.FixtureRequest) -> Variant:
    return request.param


@pytest.fixture(scope="module")
def project(variant: Variant, render, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synced_project(variant, render, tmp_path_factory)


def suite_env(project: Path, variant: Variant, **extra: str) -> dict[str, str]:
    """The generated suite's environment: the variant's own Redis database number; CI passes
    through so that its tests fail, not skip, when a service is missing."""
    return clean_env(project, REDIS_URL=f"redis://127.0.0.1:6379/{variant.redis_db}", **extra)


def test_venv_python_matches_answer(project: Path, variant: Variant) -> None:
    result = run([python(project), "-c", "import sys; print(sys.version)"], project,
                 clean_env(project))  # fmt: skip
    assert result.stdout.startswith(variant.resolved["python_version"] + "."), result.stdout


def test_manage_check(project: Path) -> None:
    result = run([python(project), "manage.py", "check", "--fail-level", "WARNING"], project,
                 clean_env(project))  # fmt: skip
    passes("manage.py check", result)


def test_migrations_complete(project: Path) -> None:
    cmd = [python(project), "manage.py", "makemigrations", "--check", "--dry-run"]
    result = run(cmd, project, clean_env(project))
    passes("makemigrations --check", result)


def test_mypy(project: Path) -> None:
    result = run([python(project), "-m", "mypy", "."], project, clean_env(project))
    passes("mypy", result)


def test_deploy_check(project: Path, variant: Variant, tmp_path: Path) -> None:
    if postgres_only(variant):
        require_service("postgres")
    database = (
        postgres_url(variant) if postgres_available() else f"sqlite:///{tmp_path / 'db.sqlite3'}"
    )
    env = clean_env(
        project,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(45)[:60],
        ALLOWED_HOSTS=variant.answers["domain_name"],
        DATABASE_URL=database,
        # Production requires a shared cache, and a broker when the variant has Celery.
        CACHE_URL=f"redis://127.0.0.1:6379/{variant.redis_db}",
        CELERY_BROKER_URL=f"redis://127.0.0.1:6379/{variant.redis_db}",
    )
    cmd = [python(project), "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    result = run(cmd, project, env)
    passes(f"check --deploy (DATABASE_URL={database})", result)


def test_compose_environment_passes_deploy_check(project: Path, variant: Variant) -> None:
    """The compose stack's own settings (compose.yaml's x-app-environment) pass the deployment
    checklist too; only its service host names are pointed at this machine's services."""
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    stack = {name: str(value) for name, value in compose["x-app-environment"].items()}
    local_hosts = {"@db:5432/": "@127.0.0.1:5432/", "//redis:6379/": "//127.0.0.1:6379/"}
    for name, value in stack.items():
        for host, local in local_hosts.items():
            value = value.replace(host, local)
        stack[name] = value
    env = clean_env(project, DJANGO_SETTINGS_MODULE="config.settings.production", **stack)
    cmd = [python(project), "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    passes("check --deploy with compose.yaml's environment", run(cmd, project, env))


def test_pytest_sqlite(project: Path, variant: Variant) -> None:
    if postgres_only(variant):
        pytest.skip("tenancy=schemas runs on PostgreSQL only")
    cmd = [python(project), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    result = run(cmd, project, suite_env(project, variant))
    passes("pytest (SQLite)", result)


def test_pytest_postgres(project: Path, variant: Variant) -> None:
    require_service("postgres")
    cmd = [python(project), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    # One row per page: the suite must not depend on a page size a team is expected to change.
    env = suite_env(project, variant, DATABASE_URL=postgres_url(variant), API_PAGE_SIZE="1")
    passes("pytest (PostgreSQL, API_PAGE_SIZE=1)", run(cmd, project, env))
