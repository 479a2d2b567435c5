"""Shared fixtures: a snapshot of this template and a render() helper."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import copier
import pytest
from repos import IDENTITY

ROOT = Path(__file__).resolve().parent.parent

# Only at the repo root: the template itself has tests/ folders that must be copied.
TOP_LEVEL_SKIP = {".git", ".venv", "tests", "benchmarks"}
ANYWHERE_SKIP = {"__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache"}


def _ignore(directory: str, names: list[str]) -> set[str]:
    skipped = {n for n in names if n in ANYWHERE_SKIP or n.endswith(".pyc")}
    if Path(directory) == ROOT:
        skipped |= TOP_LEVEL_SKIP & set(names)
    return skipped


def snapshot_template(dst: Path) -> Path:
    """Copy the working tree (uncommitted edits included) without its git metadata.

    Copier would commit a dirty git checkout into a temporary clone and record a revision that
    does not exist; a plain directory is rendered as-is.
    """
    shutil.copytree(ROOT, dst, ignore=_ignore)
    return dst


@pytest.fixture(scope="session", autouse=True)
def _isolated_copier_settings(tmp_path_factory: pytest.TempPathFactory):
    """Keep the developer's Copier settings (defaults, trusted prefixes) out of every test."""
    settings = tmp_path_factory.mktemp("copier-settings") / "settings.yml"
    settings.write_text("{}\n")  # an empty file fails validation in Copier 9.19
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COPIER_SETTINGS_PATH", str(settings))
        # Copier commits and tags in temporary clones: bare CI machines have no git identity.
        for key, value in IDENTITY.items():
            mp.setenv(key, value)
        yield settings


@pytest.fixture(scope="session")
def template_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One snapshot per session (per xdist worker), shared by every render."""
    return snapshot_template(tmp_path_factory.mktemp("snapshot") / "django-pro")


def render_project(src: Path, answers: dict[str, Any], dst: Path) -> Path:
    copier.run_copy(str(src), dst, data=answers, defaults=True, quiet=True, vcs_ref=None)
    return dst


@pytest.fixture(scope="session")
def render(template_snapshot: Path) -> Callable[[dict[str, Any], Path], Path]:
    """render(answers, dst) -> dst, rendered from the session's snapshot."""

    def _render(answers: dict[str, Any], dst: Path) -> Path:
        return render_project(template_snapshot, answers, dst)

    return _render


def pytest_report_header(config: pytest.Config) -> str:
    matrix = os.environ.get("DJANGO_PRO_MATRIX", "(tier defaults)")
    return f"django-pro matrix: DJANGO_PRO_MATRIX={matrix}"
