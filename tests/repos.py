"""Git in the template's tests: the identity their commits and tags carry (conftest.py sets it
for the whole session, Copier's own commits in temporary clones included), and `git()`, which
fails the test with git's own message."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

IDENTITY = {
    f"GIT_{role}_{key}": value
    for role in ("AUTHOR", "COMMITTER")
    for key, value in (("NAME", "django-pro tests"), ("EMAIL", "tests@django-pro.invalid"))
}


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, **IDENTITY}, check=False)  # fmt: skip
    if result.returncode:
        pytest.fail(f"git {' '.join(args)}: {result.stdout}{result.stderr}", pytrace=False)
    return result.stdout


def commit(repo: Path, message: str, tag: str | None = None) -> None:
    """Everything in the working tree, committed (and tagged)."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "--allow-empty", "-m", message)
    if tag:
        git(repo, "tag", tag)
