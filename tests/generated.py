"""A generated project on this machine: rendered, synced with uv, and run in a clean environment.

Shared by the tiers that work on generated projects (the suite tier, the outside judges). The
render + `uv sync` happens once per variant for the whole run, whichever tier asks first: xdist
workers share it through a file lock.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from variants import Variant

PYENV_ROOT = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
# uv settings that say where packages come from, not which project or environment to use.
UV_KEEP = {
    "UV_CACHE_DIR", "UV_INDEX_URL", "UV_DEFAULT_INDEX", "UV_EXTRA_INDEX_URL", "UV_INDEX",
    "UV_NATIVE_TLS", "UV_OFFLINE", "UV_PYTHON_INSTALL_DIR", "UV_PYTHON_DOWNLOADS",
}  # fmt: skip
# Settings the generated project reads: the outer shell's values must not leak in.
PROJECT_VARS = {"DATABASE_URL", "CACHE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}
OUTPUT_TAIL = 4000


def clean_env(project: Path, **extra: str) -> dict[str, str]:
    outer_bin = str(Path(sys.prefix) / "bin")
    env = {
        key: value
        for key, value in os.environ.items()
        if not (key.startswith("UV_") and key not in UV_KEEP)
        and not key.startswith(("DJANGO_", "PYTEST_", "COV_"))
        and key not in PROJECT_VARS | {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "CONDA_PREFIX"}
    }
    path = [p for p in env.get("PATH", "").split(os.pathsep) if p and p != outer_bin]
    env["PATH"] = os.pathsep.join([str(project / ".venv" / "bin"), *path])
    env["UV_PROJECT_ENVIRONMENT"] = str(project / ".venv")
    # pyenv shims (uv itself may be one) resolve only versions listed here.
    if (PYENV_ROOT / "versions").is_dir():
        env["PYENV_VERSION"] = ":".join(sorted(p.name for p in (PYENV_ROOT / "versions").iterdir()))
    env.update(extra)
    return env


def find_python(version: str) -> str:
    """pyenv's newest X.Y.Z for `version` if there is one, else let uv find or fetch it."""
    candidates = sorted(
        (PYENV_ROOT / "versions").glob(f"{version}.*"),
        key=lambda p: [int(part) for part in p.name.split(".") if part.isdigit()],
    )
    for candidate in reversed(candidates):
        if (candidate / "bin" / "python").exists():
            return str(candidate / "bin" / "python")
    return version


def uv_binary() -> str:
    return os.environ.get("UV") or shutil.which("uv") or "uv"


def run(
    cmd: list[str], project: Path, env: dict[str, str], timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=project, env=env, capture_output=True, text=True, check=False, timeout=timeout
    )


def explain(step: str, result: subprocess.CompletedProcess[str]) -> str:
    output = (result.stdout + "\n" + result.stderr).strip()
    return f"{step} exited {result.returncode}: `{' '.join(result.args)}`\n{output[-OUTPUT_TAIL:]}"


def passes(step: str, result: subprocess.CompletedProcess[str]) -> None:
    if result.returncode:
        pytest.fail(explain(step, result), pytrace=False)


def shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory common to all xdist workers of this run."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def synced_project(
    variant: Variant,
    render: Callable[[dict[str, Any], Path], Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """The variant rendered and synced, by whichever worker (and tier) gets there first."""
    home = shared_dir(tmp_path_factory) / "suite" / variant.name
    home.mkdir(parents=True, exist_ok=True)
    project, failure = home / "project", home / "setup-failed.txt"
    with (home / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (home / "synced").exists() and not failure.exists():
            try:
                render(variant.answers, project)
            except Exception as error:  # recorded, so every worker reports it instead of retrying
                failure.write_text(f"render failed: {error!r}")
            else:
                python = find_python(variant.resolved["python_version"])
                # Bytecode now: without it, every Django process of the steps below compiles
                # the whole venv again when PYTHONDONTWRITEBYTECODE is set (seconds each).
                cmd = [uv_binary(), "sync", "--compile-bytecode", "--python", python]
                result = run(cmd, project, clean_env(project))
                if result.returncode:
                    failure.write_text(explain("uv sync", result))
                else:
                    (home / "synced").touch()
    if failure.exists():
        pytest.fail(failure.read_text(), pytrace=False)
    return project


def python(project: Path) -> str:
    return str(project / ".venv" / "bin" / "python")


def postgres_url(variant: Variant, suffix: str = "") -> str:
    return f"postgres://postgres@127.0.0.1:5432/{variant.db_name}{suffix}"


def postgres_only(variant: Variant) -> bool:
    """Schema-per-tenant projects refuse any other database (their own tests prove it)."""
    return variant.resolved["tenancy"] == "schemas"
