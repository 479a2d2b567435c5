"""Tier 4: an answer changed later (`copier update --data <q>=<v> --vcs-ref :current:`) on a
project whose database has rows, following docs/updating.md's "Change an answer" as written.

- tenancy none -> shared: the rows join one organization (TENANCY_INITIAL_ORGANIZATION), the
  people who have rows become its members, deleting works, an empty database gets no
  organization; then shared -> none the documented way (`manage.py migrate tenants zero` before
  the update). SQLite and PostgreSQL.
- tenancy none -> schemas: `migrate` refuses, naming the docs, and loses nothing (PostgreSQL);
  schemas -> shared or none: `migrate` refuses too (the example app's system check).
- use_celery on -> off -> on: `manage.py migrate jobs zero` before turning it off, so nothing
  keeps a key to projects, and it comes back empty and working.

Each test generates one project and keeps its .venv across the updates (`uv sync` with uv's cache
is quick); the generated project's own test suite is not run here (the suite tier does).
"""

from __future__ import annotations

import json
import subprocess
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import services
import yaml
from conftest import snapshot_template
from copier import VcsRef, run_copy, run_update
from generated import clean_env, explain, find_python, passes, run, uv_binary
from repos import commit, git
from variants import BASE_ANSWERS

pytestmark = pytest.mark.update

UPDATE = {"defaults": True, "overwrite": True, "quiet": True}
PYTHON_VERSION = "3.12"  # copier.yml's default: the answers below leave it alone
REDIS_URL = "redis://127.0.0.1:6379/11"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
ORGANIZATION = BASE_ANSWERS["project_slug"].replace("_", "-")  # TENANCY_INITIAL_ORGANIZATION's

# Rows of a project in use, made through the ORM: an admin who owns nothing, two owners (one
# project soft-deleted), a member, an assignee, an export requester, an open invitation (`none`
# only) and a user with no rows at all.
SEED = """
import datetime, json
from django.apps import apps
from django.utils import timezone
from apps.projects.models import Project, Task
from apps.users.models import User

User.objects.create_superuser("admin@acme.example", "a long password")
alice, bob, carol, dave, erin = (
    User.objects.create_user(f"{name}@acme.example", "a long password")
    for name in ("alice", "bob", "carol", "dave", "erin")
)
User.objects.create_user("idle@acme.example", "a long password")
launch = Project.objects.create(owner=alice, name="Launch")
launch.members.add(bob)
Task.objects.create(project=launch, title="Write", assignee=carol, created_by=alice)
Task.objects.create(project=launch, title="Ship")
old = Project.objects.create(owner=dave, name="Old")
old.soft_delete()
if apps.is_installed("apps.jobs"):
    from apps.jobs.models import ExportJob
    ExportJob.objects.create(project=launch, requested_by=erin)
if apps.is_installed("apps.projects") and "projectinvitation" in apps.all_models["projects"]:
    from apps.projects.models import ProjectInvitation
    ProjectInvitation.objects.create(
        project=launch, email="new@acme.example", token_hash="0" * 64, invited_by=alice,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
"""

# What the database holds, whatever the tenancy, as JSON on the last line.
INSPECT = """
import json
from django.apps import apps
from django.db import connection
from apps.projects.models import Project, Task

report = {
    "projects": sorted(Project._base_manager.values_list("name", flat=True)),
    "tasks": sorted(Task._base_manager.values_list("title", flat=True)),
    "tables": sorted(t for t in connection.introspection.table_names()
                     if t.startswith(("projects_", "jobs_", "tenants_"))),
    "project_columns": sorted(c.name for c in connection.introspection.get_table_description(
        connection.cursor(), "projects_project")),
}
if apps.is_installed("apps.jobs"):
    from apps.jobs.models import ExportJob
    report["exports"] = ExportJob._base_manager.count()
if apps.is_installed("apps.tenants"):
    from apps.tenants.models import Membership, Tenant
    report["organizations"] = sorted(Tenant._base_manager.values_list("slug", flat=True))
    report["tenant_of"] = sorted({str(t.slug) for t in Tenant._base_manager.filter(
        pk__in=[*Project._base_manager.values_list("tenant", flat=True),
                *Task._base_manager.values_list("tenant", flat=True),
                *(ExportJob._base_manager.values_list("tenant", flat=True)
                  if apps.is_installed("apps.jobs") else [])])})
    report["members"] = sorted(
        f"{m.user.email.split('@')[0]}:{m.role}"
        for m in Membership._base_manager.select_related("user")
    )
print(json.dumps(report))
"""

# Deleting works at the database level: a project (with its tasks and exports), then a task.
DELETE = """
from apps.projects.models import Project, Task
Task._base_manager.filter(title="Ship").delete()
Project._base_manager.filter(name="Launch").delete()
print("deleted")
"""


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The working tree as a clean git repo tagged v1.0.0 (Copier updates from tags)."""
    src = snapshot_template(tmp_path_factory.mktemp("answers") / "django-pro")
    git(src, "init", "-q", "-b", "main")
    commit(src, "v1")
    git(src, "tag", "v1.0.0")
    return src


class Project:
    """A generated project committed to git, its .venv, and a database of its own."""

    def __init__(
        self, template: Path, path: Path, database_url: str, env: dict[str, str] | None = None,
        **answers: object,
    ) -> None:  # fmt: skip
        self.path = path
        data = {**BASE_ANSWERS, "example_app": True, **answers}
        run_copy(str(template), path, data=data, defaults=True, quiet=True)
        self.env = clean_env(path, DATABASE_URL=database_url, REDIS_URL=REDIS_URL, **(env or {}))
        self.sync()  # as the README says: uv sync, then commit (uv.lock included)
        git(path, "init", "-q", "-b", "main")
        commit(path, "Generate from django-pro v1.0.0")

    def sync(self) -> None:
        cmd = [uv_binary(), "sync", "-q", "--compile-bytecode", "--python",
               find_python(PYTHON_VERSION)]  # fmt: skip
        passes("uv sync", run(cmd, self.path, self.env))

    def manage(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return run([str(self.path / ".venv" / "bin" / "python"), "manage.py", *args],
                   self.path, {**self.env, **env}, timeout=300)  # fmt: skip

    def must(self, *args: str, **env: str) -> str:
        result = self.manage(*args, **env)
        passes(f"manage.py {args[0]}", result)
        return result.stdout

    def shell(self, code: str, **env: str) -> str:
        return self.must("shell", "--no-imports", "-c", textwrap.dedent(code), **env).strip()

    def inspect(self, **env: str) -> dict:
        return json.loads(self.shell(INSPECT, **env).splitlines()[-1])

    def migrate_refused(self, *reasons: str) -> None:
        """`migrate` stops, giving each of `reasons` without a traceback."""
        refused = self.manage("migrate", "--noinput")
        output = refused.stdout + refused.stderr
        assert refused.returncode, explain("migrate", refused)
        missing = [reason for reason in reasons if reason not in output]
        assert not missing, f"{missing} not in:\n{output[-2000:]}"
        assert "Traceback" not in output, "the reason should stand alone"

    def undo_update(self) -> None:
        """Back to the commit before the update, as the refusal says."""
        git(self.path, "reset", "-q", "--hard", "HEAD~1")
        git(self.path, "clean", "-q", "-fd")
        self.sync()

    def update(self, **data: object) -> None:
        """docs/updating.md's "Change an answer", then `uv sync` and `migrate`."""
        run_update(self.path, data=data, vcs_ref=VcsRef.CURRENT, **UPDATE)
        assert not list(self.path.rglob("*.rej")), "the update left rejects"
        answers = yaml.safe_load((self.path / ".copier-answers.yml").read_text())
        assert {k: answers[k] for k in data} == data
        self.sync()
        commit(self.path, f"Change {data}")


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    services.require_service("postgres")
    name = f"i14ans_{request.node.name.split('[')[-1].rstrip(']').replace('-', '_')}"[:63]
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c"]
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    subprocess.run([*psql, drop], check=True, capture_output=True)
    subprocess.run([*psql, f'CREATE DATABASE "{name}"'], check=True, capture_output=True)
    yield f"{POSTGRES}/{name}"
    subprocess.run([*psql, drop], check=False, capture_output=True)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def test_tenancy_on_then_off_keeps_every_row(template, tmp_path, database_url):
    # The organization's slug: the default on SQLite, the documented setting on PostgreSQL.
    slug = ORGANIZATION if database_url.startswith("sqlite") else "acme-hq"
    env = {} if slug == ORGANIZATION else {"TENANCY_INITIAL_ORGANIZATION_SLUG": slug}
    project = Project(template, tmp_path / "project", database_url, env, use_celery=True)
    project.must("migrate", "--noinput")
    project.shell(SEED)
    before = project.inspect()
    assert "projects_projectinvitation" in before["tables"]
    # A second database, migrated and left empty: the same update creates no organization there.
    empty = {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    project.must("migrate", "--noinput", **empty)

    # none -> shared: the documented path is the update and `migrate`, nothing else.
    project.update(tenancy="shared")
    project.must("migrate", "--noinput")
    project.must("makemigrations", "--check", "--dry-run")
    project.must("migrate", "--noinput", **empty)
    assert project.inspect(**empty)["organizations"] == []
    shared = project.inspect()
    assert shared["projects"] == before["projects"] == ["Launch", "Old"]
    assert shared["tasks"] == before["tasks"] == ["Ship", "Write"]
    assert shared["exports"] == 1
    assert shared["organizations"] == [slug]
    assert shared["tenant_of"] == [slug], "a row was left without its organization"
    assert shared["members"] == [
        "admin:owner", "alice:member", "bob:member", "carol:member", "dave:member", "erin:member",
    ]  # fmt: skip
    assert "projects_projectinvitation" not in shared["tables"], "the none-only table is left"
    assert project.shell(DELETE).endswith("deleted")
    assert project.inspect()["projects"] == ["Old"]

    # shared -> none: unapply tenancy's migrations first, while the project still has them.
    project.must("migrate", "tenants", "zero", "--noinput")
    project.update(tenancy="none")
    project.must("migrate", "--noinput")
    plain = project.inspect()
    assert plain["projects"] == ["Old"]
    assert "tenant_id" not in plain["project_columns"]
    assert not [t for t in plain["tables"] if t.startswith("tenants_")], plain["tables"]
    assert "projects_projectinvitation" in plain["tables"], "0002_projectinvitation not applied"
    project.shell(SEED.replace('"Launch"', '"Launch 2"').replace("@acme", "@acme2"))
    assert project.shell(DELETE.replace('"Launch"', '"Launch 2"')).endswith("deleted")


def test_schemas_refuses_a_database_with_rows_and_changes_nothing(template, tmp_path, postgres_url):
    project = Project(template, tmp_path / "project", postgres_url)
    project.must("migrate", "--noinput")
    project.shell(SEED)
    before = project.inspect()

    project.update(tenancy="schemas")
    project.migrate_refused('Keep tenancy "none" or "shared"', "docs/tenancy.md")

    # Back to the recorded answer: the data is all there and the project works as before.
    project.undo_update()
    project.must("migrate", "--noinput")
    assert project.inspect() == before


def test_celery_off_and_on_again_leaves_a_working_database(template, tmp_path):
    project = Project(template, tmp_path / "project", f"sqlite:///{tmp_path / 'db.sqlite3'}",
                      use_celery=True)  # fmt: skip
    project.must("migrate", "--noinput")
    project.shell(SEED)
    assert project.inspect()["exports"] == 1

    # Off: unapply the feature's migrations first, while the project still has them.
    project.must("migrate", "jobs", "zero", "--noinput")
    project.update(use_celery=False)
    project.must("migrate", "--noinput")
    off = project.inspect()
    assert not [t for t in off["tables"] if t.startswith("jobs_")], off["tables"]
    assert project.shell(DELETE).endswith("deleted")

    # On again: its tables come back empty, and a project with exports can be deleted.
    project.update(use_celery=True)
    project.must("migrate", "--noinput")
    project.shell(SEED.replace('"Launch"', '"Launch"').replace("@acme", "@acme2"))
    on = project.inspect()
    assert on["exports"] == 1
    assert project.shell(DELETE).endswith("deleted")
    assert project.inspect()["exports"] == 0


# A project in an organization's schema, made and counted there.
IN_ACME = """
from django_tenants.utils import schema_context
from apps.projects.models import Project
from apps.users.models import User
with schema_context("acme"):
    {}
"""


def test_leaving_schemas_is_refused_and_changes_nothing(template, tmp_path, postgres_url):
    project = Project(template, tmp_path / "project", postgres_url, tenancy="schemas")
    project.must("migrate_schemas", "--noinput")
    project.must("create_organization", "--public", "--domain", "localhost")
    admin = ["--admin-email", "alice@acme.example", "--admin-password", "a long password"]
    project.must("create_organization", "acme", "--name", "Acme", "--domain", "acme.localhost",
                 *admin)  # fmt: skip
    project.shell(IN_ACME.format('Project.objects.create(owner=User.objects.get(), name="Launch")'))
    count = IN_ACME.format("print(Project.objects.count())")

    for single_schema in ("shared", "none"):
        project.update(tenancy=single_schema)
        project.migrate_refused("projects.E001", "acme", '"Change an answer"')
        project.undo_update()

    project.must("migrate_schemas", "--noinput")
    assert project.shell(count) == "1", "the organization's project is gone"
