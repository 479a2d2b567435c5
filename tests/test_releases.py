"""Releases: the list in releases.toml, the CHANGELOG section of each, and what a release
promises projects generated from it.

- Released migrations are immutable: for the same answers, every migration a release rendered
  renders byte for byte the same at head (an applied migration that changes breaks every
  database that applied it).
- A path a release rendered and head no longer renders (removed or moved) is named in the
  CHANGELOG section of a later release or of "Unreleased": `copier update` deletes it, edits
  and all, and the team must hear it from us (docs/updating.md).
- `copier copy` without `--vcs-ref` takes the newest release.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, render_project
from copier import run_copy
from releases import RELEASES, VERSION, Release, template_at, template_repo
from variants import Variant, dedupe, named, pairwise

CHANGELOG = ROOT / "CHANGELOG.md"
SECTION = re.compile(r"^## (Unreleased|v(\d+\.\d+\.\d+) \((\d{4}-\d{2}-\d{2})\))$", re.M)
# Every combination of the answers that decide which migrations exist is in named + pairwise:
# each migration's path condition names at most two answers.
VARIANTS = dedupe(named() + pairwise())


def changelog_sections() -> list[tuple[str, str]]:
    """(heading, body) of each `## ` section, newest first."""
    text = CHANGELOG.read_text()
    found = list(SECTION.finditer(text))
    return [
        (m.group(1), text[m.end() : found[i + 1].start() if i + 1 < len(found) else len(text)])
        for i, m in enumerate(found)
    ]


def is_migration(path: str) -> bool:
    parts = Path(path).parts
    return len(parts) >= 2 and parts[-2] == "migrations" and path.endswith(".py")


def rendered(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def test_releases_are_listed_oldest_first_with_full_commits() -> None:
    assert RELEASES, "releases.toml lists no release"
    versions = [tuple(int(n) for n in r.version.split(".")) for r in RELEASES]
    assert all(VERSION.fullmatch(r.version) for r in RELEASES), RELEASES
    assert versions == sorted(set(versions)), "versions must be unique and oldest first"
    assert all(re.fullmatch(r"[0-9a-f]{40}", r.commit) for r in RELEASES), "full commit hashes"


def git_ok(*args: str) -> bool:
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, check=False)
    return result.returncode == 0


@pytest.mark.parametrize("release", RELEASES, ids=lambda r: r.tag)
def test_release_commit_is_in_the_history_of_head(release: Release) -> None:
    assert git_ok("merge-base", "--is-ancestor", release.commit, "HEAD"), (
        f"{release.tag}: {release.commit} is not an ancestor of HEAD (or the clone is shallow)"
    )
    tagged = subprocess.run(["git", "rev-parse", "-q", "--verify", f"{release.tag}^{{commit}}"],
                            cwd=ROOT, capture_output=True, text=True, check=False)  # fmt: skip
    if tagged.returncode == 0:  # tags are optional in a clone; a wrong one is not
        assert tagged.stdout.strip() == release.commit, f"tag {release.tag} moved"


def test_changelog_has_unreleased_then_one_section_per_release() -> None:
    headings = re.findall(r"^## (.*)$", CHANGELOG.read_text(), re.M)
    expected = ["Unreleased", *(f"v{r.version} ({r.date})" for r in reversed(RELEASES))]
    assert headings == expected, "CHANGELOG's `## ` sections: Unreleased, then newest first"


def test_copy_without_vcs_ref_takes_the_newest_release(tmp_path: Path) -> None:
    repo = template_repo(tmp_path / "django-pro")
    dst = tmp_path / "project"
    run_copy(str(repo), dst, data=named()[0].answers, defaults=True, quiet=True)
    recorded = yaml.safe_load((dst / ".copier-answers.yml").read_text())
    assert recorded["_commit"] == RELEASES[-1].tag


@pytest.fixture(scope="session")
def released_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("releases")
    return {r.tag: template_at(r, root / r.tag) for r in RELEASES}


def later_changelog(release: Release) -> str:
    """The CHANGELOG sections newer than `release`: where its removals must be named."""
    newer = []
    for heading, body in changelog_sections():
        if heading == f"v{release.version} ({release.date})":
            break
        newer.append(body)
    return "\n".join(newer)


@pytest.mark.parametrize("release", RELEASES, ids=lambda r: r.tag)
@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_release_promises_hold_at_head(
    release: Release,
    variant: Variant,
    released_templates: dict[str, Path],
    render: Callable[[dict[str, Any], Path], Path],
    tmp_path: Path,
) -> None:
    old = rendered(render_project(released_templates[release.tag], variant.answers,
                                  tmp_path / "release"))  # fmt: skip
    new = rendered(render(variant.answers, tmp_path / "head"))

    changed = sorted(p for p in old if is_migration(p) and p in new and old[p] != new[p])
    removed_migrations = sorted(p for p in old if is_migration(p) and p not in new)
    assert not changed, f"migrations released in {release.tag} render differently: {changed}"
    assert not removed_migrations, f"{release.tag}'s migrations removed: {removed_migrations}"

    named_in_changelog = set(re.findall(r"`([^`\s]+)`", later_changelog(release)))
    unlisted = sorted(p for p in old.keys() - new.keys() - {".copier-answers.yml"}
                      if p not in named_in_changelog)  # fmt: skip
    assert not unlisted, (
        f"removed or moved since {release.tag} without a CHANGELOG line naming them "
        f"(in backticks, under Unreleased): {unlisted}"
    )
