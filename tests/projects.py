"""Helpers shared by the tiers that generate a project and run commands in it (suite, docs)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PYENV_ROOT = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
# uv settings that say where packages come from, not which project or environment to use.
UV_KEEP = {
    "UV_CACHE_DIR", "UV_INDEX_URL", "UV_DEFAULT_INDEX", "UV_EXTRA_INDEX_URL", "UV_INDEX",
    "UV_NATIVE_TLS", "UV_OFFLINE", "UV_PYTHON_INSTALL_DIR", "UV_PYTHON_DOWNLOADS",
}  # fmt: skip
# Settings the generated project reads: the outer shell's values must not leak in.
PROJECT_VARS = {
    "DATABASE_URL", "CACHE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SECRET_KEY", "ALLOWED_HOSTS",
    "DEBUG",
}  # fmt: skip
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


def run(cmd: list[str], project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=project, env=env, capture_output=True, text=True, check=False, timeout=900
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
