"""The template's releases (`releases.toml`) and the template as each release shipped it.

A release is a version and a commit. Tests read the commit from the list, not from a tag, so
they hold in a clone without tags; they do need the clone's history (not a shallow clone).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tarfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, snapshot_template
from repos import commit, git

RELEASES_FILE = ROOT / "releases.toml"
VERSION = re.compile(r"\d+\.\d+\.\d+")


@dataclass(frozen=True)
class Release:
    version: str
    commit: str
    date: str

    @property
    def tag(self) -> str:
        return f"v{self.version}"


def load_releases(path: Path = RELEASES_FILE) -> list[Release]:
    """Oldest first, as listed."""
    entries = tomllib.loads(path.read_text())["release"]
    return [Release(e["version"], e["commit"], str(e["date"])) for e in entries]


RELEASES = load_releases()


def template_at(release: Release, dst: Path) -> Path:
    """The template's files at the release's commit, as a plain directory (no git)."""
    present = subprocess.run(["git", "cat-file", "-e", f"{release.commit}^{{commit}}"], cwd=ROOT,
                             capture_output=True, check=False)  # fmt: skip
    if present.returncode:
        pytest.fail(f"{release.tag}'s commit {release.commit} is not in this clone: the release "
                    "tests need the history (git fetch --unshallow)", pytrace=False)  # fmt: skip
    archive = subprocess.run(["git", "archive", "--format=tar", release.commit], cwd=ROOT,
                             capture_output=True, check=True).stdout  # fmt: skip
    dst.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dst, filter="data")
    return dst


def template_repo(dst: Path, releases: list[Release] = RELEASES) -> Path:
    """A git repository with one commit per release (tagged vX.Y.Z, oldest first) and the working
    tree (uncommitted edits included) committed on top, untagged: what Copier sees when it
    updates a project from a release to the template's head."""
    dst.mkdir(parents=True)
    git(dst, "init", "-q", "-b", "main")
    for release in releases:
        tree = template_at(release, dst.parent / f"{dst.name}-{release.tag}")
        for entry in tree.iterdir():
            entry.rename(dst / entry.name)
        commit(dst, f"django-pro {release.tag}", tag=release.tag)
        for entry in dst.iterdir():  # cleared, so files a later release removed do not linger
            if entry.name != ".git":
                _remove(entry)
    head = snapshot_template(dst.parent / f"{dst.name}-head")
    for entry in head.iterdir():
        entry.rename(dst / entry.name)
    commit(dst, "django-pro head")
    return dst


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()
