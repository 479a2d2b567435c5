"""The lifecycle tier: a project generated at each release lives on to the template's head.

For every release in releases.toml and every named variant, render-only (seconds each):
- an untouched project updated to head equals a fresh copy at head;
- a team's fixed edits (tests/lifecycle.py: a new app with a model and its migration, a new
  field on the example Project model and its migration, settings, a dependency, an edited
  generated test) survive the update: no .rej, no conflict marker, every edit still there.

For the runs tests/variants.py's LIFECYCLE_VARIANTS afford (every release and every chosen
variant at least once), the same edits with migrations made by the project's own
`makemigrations`, then `uv sync`, a migrated database with rows, the update to head, `uv sync`
and migrate again: the rows are the same, `makemigrations --check` finds nothing, the generated
suite passes.

The template's head is the working tree committed on top of the releases (tests/releases.py),
so a change not yet released is tested against every release before it ships.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from generated import clean_env, find_python, passes, python, run, uv_binary
from lifecycle import (
    answers,
    apply_team_edits,
    copy_at,
    database_name,
    dump_script,
    each_at_least_once,
    expected_counts,
    generate_and_commit,
    leftovers_of_a_conflict,
    make_migrations,
    organization_commands,
    recorded_answers,
    redis_url,
    rows_from,
    seed_script,
    tree,
    update_to_head,
)
from releases import RELEASES, Release, template_repo
from repos import commit, git
from services import require_service
from variants import Variant, lifecycle_database, named, select

pytestmark = pytest.mark.update

EVERY = [(release, variant) for release in RELEASES for variant in named()]
RUNS = each_at_least_once(RELEASES, select("lifecycle"))


def run_id(run: tuple[Release, Variant]) -> str:
    release, variant = run
    return f"{release.tag}-{variant.name}"


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One commit per release, tagged, and the working tree on top (HEAD), per worker."""
    return template_repo(tmp_path_factory.mktemp("lifecycle") / "django-pro")


@pytest.fixture(scope="session")
def head_commit(template: Path) -> str:
    """What Copier records as `_commit` for the template's HEAD (a tag, or tag-N-gSHA)."""
    return git(template, "describe", "--tags", "--always").strip()


# --- render-only, every release x every named variant ----------------------------------------


@pytest.mark.parametrize("run", EVERY, ids=run_id)
def test_untouched_project_updated_to_head_equals_a_fresh_copy(
    run: tuple[Release, Variant], template: Path, head_commit: str, tmp_path: Path
) -> None:
    release, variant = run
    project = generate_and_commit(template, release, variant, tmp_path / "project")
    kept = recorded_answers(project)
    update_to_head(project)
    # The answers the update kept, not the variant's: a question newer than the release takes
    # its default in both.
    fresh = copy_at(template, "HEAD", kept, tmp_path / "fresh")
    assert answers(fresh)["_commit"] == head_commit
    updated, expected = tree(project), tree(fresh)
    differing = sorted(
        name for name in updated.keys() | expected.keys() if updated.get(name) != expected.get(name)
    )
    assert not differing, (
        f"{release.tag} -> head ({head_commit}): the updated project differs from a fresh copy "
        f"at head in: {differing}"
    )


@pytest.mark.parametrize("run", EVERY, ids=run_id)
def test_team_edits_survive_the_update_to_head(
    run: tuple[Release, Variant], template: Path, head_commit: str, tmp_path: Path
) -> None:
    release, variant = run
    project = generate_and_commit(template, release, variant, tmp_path / "project")
    edits = apply_team_edits(project, variant, write_migrations=True)
    assert not edits.unreadable(project), "the team edits themselves are broken"
    commit(project, "Team edits")

    update_to_head(project)

    assert answers(project)["_commit"] == head_commit
    conflicts = leftovers_of_a_conflict(project)
    assert not conflicts, f"{release.tag} -> head: the update conflicts in\n{conflicts}"
    missing = edits.missing_after_update(project)
    assert not missing, f"{release.tag} -> head: the team's edits lost: {missing}"
    assert not edits.unreadable(project), f"{release.tag} -> head: edited files broken"


# --- through a database, the runs LIFECYCLE_VARIANTS afford ---------------------------------


def psql(sql: str) -> None:
    env = {**os.environ, "PGHOST": "127.0.0.1", "PGUSER": "postgres"}
    result = subprocess.run(["psql", "-q", "-d", "postgres", "-c", sql], env=env,
                            capture_output=True, text=True, check=False)  # fmt: skip
    passes(f"psql -c {sql!r}", result)


def drop_databases(name: str) -> None:
    for database in (name, f"test_{name}"):  # pytest-django's copy too
        psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


class Steps:
    """Runs the project's commands in its clean environment; times each step."""

    def __init__(self, project: Path, variant: Variant, **env: str) -> None:
        self.project, self.variant = project, variant
        self.env = clean_env(project, **env)
        self.timings: list[tuple[str, float]] = []

    def run(self, step: str, cmd: list[str], **extra: str) -> str:
        started = time.monotonic()
        result = run(cmd, self.project, {**self.env, **extra})
        self.timings.append((step, time.monotonic() - started))
        passes(step, result)
        return result.stdout

    def manage(self, step: str, *args: str, **extra: str) -> str:
        return self.run(step, [python(self.project), "manage.py", *args], **extra)

    def sync(self, step: str) -> None:
        version = self.variant.resolved["python_version"]
        cmd = [uv_binary(), "sync", "--compile-bytecode", "--python", find_python(version)]
        self.run(step, cmd)

    def report(self) -> str:
        return ", ".join(f"{step} {seconds:.0f}s" for step, seconds in self.timings)


def clean_tree(project: Path) -> None:
    status = git(project, "status", "--porcelain")
    assert not status, f"the project is not clean for copier update:\n{status}"


@pytest.mark.parametrize("run", RUNS, ids=run_id)
def test_a_project_with_rows_lives_from_a_release_to_head(
    run: tuple[Release, Variant], template: Path, head_commit: str, tmp_path: Path
) -> None:
    release, variant = run
    on_postgres = lifecycle_database(variant) == "postgres"
    require_service("redis")
    database: dict[str, str] = {}
    if on_postgres:
        require_service("postgres")
        name = database_name(release, variant)
        drop_databases(name)
        psql(f'CREATE DATABASE "{name}"')
        database["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    project = generate_and_commit(template, release, variant, tmp_path / "project")
    steps = Steps(project, variant, **database)
    try:
        # The team's work at the release: edits, their migrations, a database with rows.
        edits = apply_team_edits(project, variant, write_migrations=False)
        steps.sync(f"uv sync ({release.tag})")
        for command in make_migrations(variant):
            steps.manage(" ".join(command), *command)
        for path in sorted(project.glob("apps/billing/migrations/*.py")) + sorted(
            project.glob("apps/projects/migrations/*_project_code.py")
        ):
            edits.created[str(path.relative_to(project))] = path.read_text()
        commit(project, "Team edits")
        steps.manage(f"migrate ({release.tag})", "migrate", "--noinput")
        if variant.resolved["tenancy"] == "schemas":
            for command in organization_commands():
                steps.manage(" ".join(command[:2]), *command)
        steps.manage("seed rows", "shell", "-c", seed_script(variant))
        before = rows_from(steps.manage("read rows", "shell", "-c", dump_script(variant)))
        counts = {table: len(before[table]) for table in expected_counts(variant)}
        assert counts == expected_counts(variant), before
        clean_tree(project)

        started = time.monotonic()
        update_to_head(project)
        steps.timings.append(("copier update", time.monotonic() - started))
        assert answers(project)["_commit"] == head_commit
        conflicts = leftovers_of_a_conflict(project)
        assert not conflicts, f"{release.tag} -> head: the update conflicts in\n{conflicts}"
        missing = edits.missing_after_update(project)
        assert not missing, f"{release.tag} -> head: the team's edits lost: {missing}"
        commit(project, "Update to head")

        steps.sync("uv sync (head)")
        steps.manage("migrate (head)", "migrate", "--noinput")
        after = rows_from(steps.manage("read rows again", "shell", "-c", dump_script(variant)))
        assert after == before, f"{release.tag} -> head: rows changed by the update"
        steps.manage("makemigrations --check", "makemigrations", "--check", "--dry-run")
        steps.run(
            "pytest (generated suite)",
            [python(project), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
            CI="true",
            REDIS_URL=redis_url(variant),
        )
    finally:
        print(f"{run_id(run)} on {lifecycle_database(variant)}: {steps.report()}")
        if on_postgres:
            drop_databases(database_name(release, variant))
