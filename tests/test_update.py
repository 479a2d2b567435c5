"""Tier 4: `copier update` from one tagged release of this template to the next.

Runs against a throwaway git repo holding a snapshot of the working tree, tagged v1.0.0 and then
v2.0.0, because Copier cannot update from a dirty or untagged checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import snapshot_template
from copier import VcsRef, run_copy, run_update
from generated import clean_env, find_python
from repos import IDENTITY, commit, git
from variants import named

pytestmark = pytest.mark.update

VARIANT = next(v for v in named() if v.name == "default")
UPDATE = {"defaults": True, "overwrite": True, "quiet": True}
USER_SETTING = "USER_ADDED_SETTING = 42  # added by the user\n"
USER_README = "\n## Our notes\n\nAdded by the user after generation.\n"
TEMPLATE_README = "\nAdded to the template in v2.\n"
NEW_DOC = "# New in v2\n"


def answers(project: Path) -> dict:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def copy(template: Path, dst: Path, **extra) -> Path:
    data = {**VARIANT.answers, **extra}
    run_copy(str(template), dst, data=data, defaults=True, quiet=True)
    return dst


def release_v2(template: Path) -> None:
    # Under the title, far from the end where the user writes, so the merge is conflict-free.
    readme = template / "template" / "README.md.jinja"
    title, rest = readme.read_text().split("\n", 1)
    readme.write_text(f"{title}\n{TEMPLATE_README}{rest}")
    (template / "template" / "docs").mkdir(exist_ok=True)
    (template / "template" / "docs" / "NEW.md").write_text(NEW_DOC)
    commit(template, "v2", tag="v2.0.0")


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """The working tree as a clean git repo tagged v1.0.0."""
    src = snapshot_template(tmp_path / "django-pro")
    git(src, "init", "-q", "-b", "main")
    commit(src, "v1", tag="v1.0.0")
    return src


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Path:
    dst = copy(template, tmp_path / "project")
    assert answers(dst)["_commit"] == "v1.0.0"
    git(dst, "init", "-q", "-b", "main")
    commit(dst, "Generate from django-pro v1.0.0")  # Copier only updates a clean git repo
    return dst


def test_update_keeps_user_edits_and_brings_template_changes(template, project):
    readme, local = project / "README.md", project / "config" / "settings" / "local.py"
    readme.write_text(readme.read_text() + USER_README)
    local.write_text(local.read_text() + USER_SETTING)
    env_file = project / ".env"
    env_file.write_text(env_file.read_text() + "USER_SECRET=keep-me\n")
    commit(project, "user edits")
    release_v2(template)

    run_update(project, skip_answered=True, **UPDATE)

    conflicts = [str(p) for p in project.rglob("*.rej")]
    assert not conflicts, f"update left rejects: {conflicts}"
    text = readme.read_text()
    assert USER_README in text, "the user's README edit was lost"
    assert TEMPLATE_README.strip() in text, "the template's README change did not arrive"
    assert "<<<<<<<" not in text, text
    assert local.read_text().endswith(USER_SETTING), "the user's settings edit was lost"
    assert (project / "docs" / "NEW.md").read_text() == NEW_DOC
    assert "USER_SECRET=keep-me" in env_file.read_text(), ".env was overwritten"
    assert answers(project)["_commit"] == "v2.0.0"


def test_update_recreates_deleted_env(template, project):
    """.env is skip_if_exists: never overwritten, but recreated when deleted."""
    (project / ".env").unlink()
    if git(project, "status", "--porcelain"):  # .env is normally git-ignored: nothing to commit
        commit(project, "drop .env")
    release_v2(template)
    run_update(project, skip_answered=True, **UPDATE)
    assert (project / ".env").is_file()


def test_untouched_update_equals_fresh_copy(template, project, tmp_path):
    release_v2(template)
    run_update(project, skip_answered=True, **UPDATE)
    fresh = copy(template, tmp_path / "fresh")
    updated, expected = tree(project), tree(fresh)
    differing = sorted(
        name for name in updated.keys() | expected.keys() if updated.get(name) != expected.get(name)
    )
    assert not differing, f"updated project differs from a fresh v2 copy in: {differing}"


# A feature switched on after generation brings its files; switched off again, it takes them
# away (and only them: the project equals a fresh copy without the feature).
FEATURE_MARKERS = {
    "example_app": "apps/projects/services.py",
    "use_celery": "config/celery.py",
    "use_channels": "apps/realtime/consumers.py",
    "use_htmx": "apps/web/templates/web/base.html",
}


@pytest.mark.parametrize("question", sorted(FEATURE_MARKERS))
def test_a_feature_can_be_switched_on_and_off_later(template, tmp_path, question):
    marker = FEATURE_MARKERS[question]
    project = copy(template, tmp_path / "project", **{question: False})
    assert not (project / marker).exists()
    git(project, "init", "-q", "-b", "main")
    commit(project, f"Generate without {question}")

    # data= outranks the recorded answer; VcsRef.CURRENT re-renders the same template version.
    run_update(project, data={question: True}, vcs_ref=VcsRef.CURRENT, **UPDATE)
    assert (project / marker).is_file()
    assert answers(project)[question] is True
    commit(project, f"Switch {question} on")

    run_update(project, data={question: False}, vcs_ref=VcsRef.CURRENT, **UPDATE)
    assert not (project / marker).exists()
    fresh = copy(template, tmp_path / "fresh", **{question: False})
    assert tree(project) == tree(fresh)


def copier_cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The copier command as the generated project's scheduled workflow runs it: no --trust."""
    return subprocess.run(
        [sys.executable, "-m", "copier", *args], cwd=project, capture_output=True, text=True,
        env={**os.environ, **IDENTITY}, check=False,
    )  # fmt: skip


def test_check_update_reports_a_newer_release_until_it_is_pulled(template, project):
    """What .github/workflows/template-updates.yml runs each week, and the update it asks for."""
    workflow = (project / ".github" / "workflows" / "template-updates.yml").read_text()
    assert "copier check-update --quiet" in workflow
    assert copier_cli(project, "check-update", "--quiet").returncode == 0, "up to date at v1"

    release_v2(template)
    newer = copier_cli(project, "check-update", "--quiet")
    assert newer.returncode == 2, newer.stdout + newer.stderr

    pulled = copier_cli(project, "update", "--skip-answered", "--defaults")
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    assert answers(project)["_commit"] == "v2.0.0"
    commit(project, "Update to v2")
    assert copier_cli(project, "check-update", "--quiet").returncode == 0


def test_rejected_hunks_show_in_git_status(template, project):
    """With --conflict rej, the conflict must not hide: a `git add -A && git commit` would lose
    the user's edit if .gitignore swallowed the .rej file."""
    readme = project / "README.md"
    title, rest = readme.read_text().split("\n", 1)
    readme.write_text(f"{title} (ours)\n{rest}")
    commit(project, "user retitles the README")
    template_readme = template / "template" / "README.md.jinja"
    title, rest = template_readme.read_text().split("\n", 1)
    template_readme.write_text(f"{title} (theirs)\n{rest}")
    commit(template, "v2", tag="v2.0.0")

    run_update(project, skip_answered=True, conflict="rej", **UPDATE)

    rejects = sorted(str(p.relative_to(project)) for p in project.rglob("*.rej"))
    assert rejects == ["README.md.rej"], rejects
    assert "?? README.md.rej" in git(project, "status", "--porcelain").splitlines()
    hooks = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    refusing = [h for repo in hooks["repos"] for h in repo["hooks"]
                if h["id"] == "no-copier-rejects"]  # fmt: skip
    assert refusing and refusing[0]["language"] == "fail" and refusing[0]["files"] == r"\.rej$"


# What docs/updating.md ("Files the template deletes or moves") promises, held to Copier's
# actual behaviour: a path the template stops rendering is deleted with the team's edits in it,
# and a file the team deleted stays deleted whatever the template changes in it.
MOVED_FROM, MOVED_TO = "apps/core/api/requests.py", "apps/core/api/request_types.py"
TEAM_LINE = "# Our team's note: keep this.\n"


def test_a_moved_file_loses_the_team_edit_which_git_still_holds(template, project):
    (project / MOVED_FROM).write_text((project / MOVED_FROM).read_text() + TEAM_LINE)
    commit(project, "team edits a file the template will move")
    api = template / "template" / "apps" / "core" / "api"
    (api / "requests.py").rename(api / "request_types.py")
    commit(template, "v2 moves requests.py", tag="v2.0.0")

    run_update(project, skip_answered=True, **UPDATE)

    assert not (project / MOVED_FROM).exists(), "the update keeps the old path"
    assert TEAM_LINE not in (project / MOVED_TO).read_text()
    assert not list(project.rglob("*.rej"))
    # Nothing warns, but git does: the deletion shows, and the edit is one `git show` away.
    assert f" D {MOVED_FROM}" in git(project, "status", "--porcelain").splitlines()
    assert TEAM_LINE in git(project, "show", f"HEAD:{MOVED_FROM}")


def test_a_file_the_team_deleted_stays_deleted(template, project):
    (project / MOVED_FROM).unlink()
    commit(project, "team deletes a generated file")
    requests = template / "template" / "apps" / "core" / "api" / "requests.py"
    requests.write_text(requests.read_text() + "# changed in v2\n")
    commit(template, "v2 changes requests.py", tag="v2.0.0")

    run_update(project, skip_answered=True, **UPDATE)

    assert not (project / MOVED_FROM).exists(), "the template's change recreated the file"


def test_dependencies_the_team_adds_survive_switching_features(template, tmp_path):
    """`uv add` puts a team's dependencies below the template's lines (after a comment that says
    so), so a feature switched on or off later changes the list without a conflict."""
    project = copy(template, tmp_path / "project", use_celery=False, use_htmx=False)
    git(project, "init", "-q", "-b", "main")
    commit(project, "Generate")
    for args in (["humanize>=4", "zeep>=4"], ["--dev", "pytest-xdist>=3"]):
        python = find_python(VARIANT.resolved["python_version"])
        added = subprocess.run(["uv", "add", "--frozen", "--python", python, *args], cwd=project,
                               env=clean_env(project), capture_output=True, text=True,
                               check=False)  # fmt: skip
        assert added.returncode == 0, added.stderr
    commit(project, "Our dependencies")

    for switched in (True, False):
        data = {"use_celery": switched, "use_htmx": switched}
        run_update(project, data=data, vcs_ref=VcsRef.CURRENT, **UPDATE)
        pyproject = (project / "pyproject.toml").read_text()
        assert "<<<<<<<" not in pyproject and not list(project.rglob("*.rej")), pyproject
        assert ('"celery[redis]' in pyproject) is switched, pyproject
        for ours in ('"humanize>=4"', '"zeep>=4"', '"pytest-xdist>=3"'):
            assert ours in pyproject, f"{ours} lost switching features to {switched}"
        commit(project, f"features {switched}")
