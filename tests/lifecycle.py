"""The lifecycle tier's fixed team edits, its database rows, and the runs it can afford.

A team generates at a release, commits, edits (apply_team_edits), migrates a database with rows
(seed_script) and later updates to the template's head: the edits and rows must survive.
"""

from __future__ import annotations

import ast
import json
import os
import re
import textwrap
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from copier import run_copy, run_update
from releases import Release
from repos import commit, git
from variants import Variant

# copier update as docs/updating.md runs it, to the template's newest commit.
UPDATE = {"defaults": True, "overwrite": True, "skip_answered": True, "quiet": True}
CONFLICT = re.compile(r"^<{7}( [^\n]*)?$.*?^>{7}( [^\n]*)?$", re.M | re.S)
SKIPPED_DIRS = {".git", ".venv", "__pycache__", "node_modules"}

# PostgreSQL databases djpro_life_<variant digest>_<release> (and pytest-django's test_ copy of
# each); the generated suites use the variant's own Redis database.

# --- the template at a ref -----------------------------------------------------------------


def copy_at(template: Path, ref: str, data: dict[str, Any], dst: Path) -> Path:
    run_copy(str(template), dst, data=data, vcs_ref=ref, defaults=True, quiet=True)
    return dst


def generate_and_commit(template: Path, release: Release, variant: Variant, dst: Path) -> Path:
    """What a team does first: generate at the release, then commit (copier update needs it)."""
    copy_at(template, release.tag, variant.answers, dst)
    assert answers(dst)["_commit"] == release.tag
    git(dst, "init", "-q", "-b", "main")
    commit(dst, f"Generate from django-pro {release.tag}")
    return dst


def update_to_head(project: Path) -> None:
    run_update(project, vcs_ref="HEAD", **UPDATE)


def answers(project: Path) -> dict:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


def recorded_answers(project: Path) -> dict[str, Any]:
    """The answers the project recorded: what `copier update --skip-answered --defaults` keeps
    (a question newer than the project's release takes its default)."""
    return {key: value for key, value in answers(project).items() if not key.startswith("_")}


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root by relative path, .git (and a venv or caches) left out."""
    found = {}
    for directory, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS]
        for name in files:
            path = Path(directory) / name
            found[str(path.relative_to(root))] = path.read_bytes()
    return found


def leftovers_of_a_conflict(project: Path) -> str:
    """What a conflicted update leaves, in full: each .rej file, and each hunk between
    conflict markers with the file it is in. Empty when the update merged cleanly."""
    found = []
    for name, content in sorted(tree(project).items()):
        text = content.decode(errors="replace")
        if name.endswith(".rej"):
            found.append(f"{name}:\n{text}")
        else:
            found += [f"{name}:\n{hunk.group(0)}" for hunk in CONFLICT.finditer(text)]
    return "\n".join(found)


# --- the team's edits ----------------------------------------------------------------------

BILLING = {
    "apps/billing/__init__.py": "",
    "apps/billing/apps.py": """\
        from django.apps import AppConfig


        class BillingConfig(AppConfig):
            name = "apps.billing"
            verbose_name = "Billing"
        """,
    "apps/billing/models.py": '''\
        """Invoices: an app the team added after generating the project."""

        from django.conf import settings
        from django.db import models


        class Invoice(models.Model):
            number = models.CharField(max_length=20, unique=True)
            customer = models.ForeignKey(
                settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invoices"
            )
            amount_cents = models.PositiveIntegerField()

            def __str__(self) -> str:
                return self.number
        ''',
}
# What `makemigrations` writes for them, by hand (the render-only checks run no Django).
BILLING_MIGRATION = """\
    import django.db.models.deletion
    from django.conf import settings
    from django.db import migrations, models


    class Migration(migrations.Migration):
        initial = True

        dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

        operations = [
            migrations.CreateModel(
                name="Invoice",
                fields=[
                    ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                               serialize=False, verbose_name="ID")),
                    ("number", models.CharField(max_length=20, unique=True)),
                    ("amount_cents", models.PositiveIntegerField()),
                    ("customer", models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="invoices",
                        to=settings.AUTH_USER_MODEL)),
                ],
            ),
        ]
    """
PROJECT_FIELD = '    code = models.CharField(max_length=20, blank=True, default="")\n'
PROJECT_MIGRATION = """\
    from django.db import migrations, models


    class Migration(migrations.Migration):
        dependencies = [("projects", "{previous}")]

        operations = [
            migrations.AddField(
                model_name="project",
                name="code",
                field=models.CharField(blank=True, default="", max_length=20),
            ),
        ]
    """
LOCAL_APP = '\n    "apps.billing",'
LOCAL_SETTING = '\n# Added by the team: invoices are issued in euros.\nBILLING_CURRENCY = "EUR"\n'
DEPENDENCY = '\n    "humanize>=4.9",'
USERS_TEST = "apps/users/tests/test_models.py"
TEST_IMPORT = "import humanize\n"
TEST_ADDED = '''\


def test_an_invoice_belongs_to_its_customer() -> None:
    """Added by the team: the billing app's invoice, its amount written with humanize."""
    from apps.billing.models import Invoice

    customer = User.objects.create_user("payer@example.com", "a long password 1")
    invoice = Invoice.objects.create(number="INV-7", customer=customer, amount_cents=123456)
    assert customer.invoices.get() == invoice
    assert humanize.intcomma(invoice.amount_cents) == "123,456"
'''


@dataclass
class TeamEdits:
    """What the edits left, to find again after the update: whole files the team created and
    lines it added to generated files."""

    created: dict[str, str] = field(default_factory=dict)
    inserted: dict[str, list[str]] = field(default_factory=dict)

    def create(self, project: Path, path: str, content: str) -> None:
        target = project / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
        self.created[path] = content

    def insert(self, project: Path, path: str, text: str, *, before: str = "",
               after: str = "", within: str = "") -> None:  # fmt: skip
        """Insert `text` right after the first `after` or right before the first `before`
        that follows `within` (if given); at the end of the file with neither."""
        target = project / path
        content = target.read_text()
        start = 0
        if within:
            start = content.find(within)
            assert start >= 0, f"team edit: {within!r} not found in {path}"
        if after:
            at = content.find(after, start)
            assert at >= 0, f"team edit: {after!r} not found in {path}"
            at += len(after)
        elif before:
            at = content.find(before, start)
            assert at >= 0, f"team edit: {before!r} not found in {path}"
        else:
            at = len(content)
        target.write_text(content[:at] + text + content[at:])
        self.inserted.setdefault(path, []).append(text)

    def unreadable(self, project: Path) -> list[str]:
        """Edited or created Python and TOML files that no longer parse."""
        broken = []
        for path in sorted(self.created.keys() | self.inserted.keys()):
            target = project / path
            if not target.is_file():
                continue
            try:
                if path.endswith(".py"):
                    ast.parse(target.read_text(), path)
                elif path.endswith(".toml"):
                    tomllib.loads(target.read_text())
            except (SyntaxError, tomllib.TOMLDecodeError) as error:
                broken.append(f"{path}: {error}")
        return broken

    def missing_after_update(self, project: Path) -> list[str]:
        missing = []
        for path, content in self.created.items():
            target = project / path
            if not target.is_file() or target.read_text() != content:
                missing.append(f"{path} (created by the team)")
        for path, texts in self.inserted.items():
            target = project / path
            current = target.read_text() if target.is_file() else ""
            missing += [f"{path}: {text.strip()!r}" for text in texts if text not in current]
        return missing


def latest_migration(project: Path, app: str) -> str:
    names = sorted(p.stem for p in (project / "apps" / app / "migrations").glob("[0-9]*.py"))
    assert names, f"apps/{app} has no migration"
    return names[-1]


def apply_team_edits(project: Path, variant: Variant, *, write_migrations: bool) -> TeamEdits:
    """The fixed edits of a team, in every variant: a new app with a model, a new field on the
    example Project model (example_app), settings, a new dependency, an edited generated test.
    Without `write_migrations` the caller makes the migrations with the project's
    `manage.py makemigrations` (make_migrations)."""
    edits = TeamEdits()
    for path, content in BILLING.items():
        edits.create(project, path, textwrap.dedent(content))
    if write_migrations:
        edits.create(project, "apps/billing/migrations/__init__.py", "")
        edits.create(project, "apps/billing/migrations/0001_initial.py",
                     textwrap.dedent(BILLING_MIGRATION))  # fmt: skip
    if variant.resolved["example_app"]:
        if write_migrations:
            previous = latest_migration(project, "projects")
            number = int(previous.split("_", 1)[0]) + 1
            edits.create(project, f"apps/projects/migrations/{number:04d}_project_code.py",
                         textwrap.dedent(PROJECT_MIGRATION).format(previous=previous))  # fmt: skip
        edits.insert(project, "apps/projects/models.py", PROJECT_FIELD,
                     within="\nclass Project(", before="\n    class Meta")  # fmt: skip
    settings = "config/settings"
    edits.insert(project, f"{settings}/base.py", LOCAL_APP, within="LOCAL_APPS = [", before="\n]")
    edits.insert(project, f"{settings}/local.py", LOCAL_SETTING)
    edits.insert(project, "pyproject.toml", DEPENDENCY, within="\ndependencies = [", before="\n]")
    edits.insert(project, USERS_TEST, TEST_IMPORT, before="import pytest\n")
    edits.insert(project, USERS_TEST, TEST_ADDED)
    return edits


def make_migrations(variant: Variant) -> list[list[str]]:
    """The manage.py commands that make the edits' migrations, as the team would."""
    commands = [["makemigrations", "billing"]]
    if variant.resolved["example_app"]:
        commands.append(["makemigrations", "projects", "--name", "project_code"])
    return commands


# --- rows in the database -----------------------------------------------------------------

ROWS_MARKER = "LIFECYCLE-ROWS:"
PASSWORD = "a long lifecycle password"
ORGANIZATION = {"schema": "acme", "name": "Acme", "domain": "acme.localhost"}
ALICE, BOB = "alice@acme.example", "bob@acme.example"


def organization_commands() -> list[list[str]]:
    """schemas: the public domain and an organization, as the generated README creates them."""
    return [
        ["create_organization", "--public", "--domain", "localhost"],
        ["create_organization", ORGANIZATION["schema"], "--name", ORGANIZATION["name"],
         "--domain", ORGANIZATION["domain"], "--admin-email", ALICE,
         "--admin-password", PASSWORD],
    ]  # fmt: skip


_PEOPLE = f"""
from apps.billing.models import Invoice
from apps.users import services as users
from apps.users.models import User


def person(email, first_name):
    found = User.objects.filter(email=email).first()
    if found is not None:  # schemas: create_organization made the organization's admin
        return found
    user = User(email=email, first_name=first_name)
    user.set_password({PASSWORD!r})
    return users.create_user(user)


alice, bob = person({ALICE!r}, "Alice"), person({BOB!r}, "Bob")
"""
_SEED_COMMON = """
Invoice.objects.create(number="INV-0001", customer=alice, amount_cents=129900)
Invoice.objects.create(number="INV-0002", customer=bob, amount_cents=4500)
"""
_SEED_PROJECTS = """
from apps.projects import services as projects
from apps.projects.models import Project


def seed_projects():
    apollo = projects.create_project(owner=alice, name="Apollo", description="To the moon")
    projects.add_member(apollo, actor=alice, user=bob)
    Project.objects.filter(pk=apollo.pk).update(code="APL")  # the team's new field
    projects.create_task(apollo, actor=alice, title="Build the rocket", priority=4, assignee=bob)
    projects.create_task(apollo, actor=bob, title="Count down", status="done")
    projects.create_project(owner=bob, name="Gemini")
"""
_DUMP_COMMON = """
import ast
import json

from django.conf import settings

rows = {
    "setting": settings.BILLING_CURRENCY,
    "users": sorted([u.email, u.first_name, u.is_active] for u in User.objects.all()),
    "invoices": sorted(
        [i.number, i.customer.email, i.amount_cents] for i in Invoice.objects.all()
    ),
}
"""
_DUMP_PROJECTS = """
from apps.projects.models import Project, Task


def dump_projects():
    rows["projects"] = sorted(
        [p.name, p.description, p.code, p.owner.email, sorted(m.email for m in p.members.all())]
        for p in Project.objects.all()
    )
    rows["tasks"] = sorted(
        [t.project.name, t.title, t.status, t.priority, getattr(t.assignee, "email", None),
         getattr(t.created_by, "email", None), t.completed_at is not None]
        for t in Task.objects.all()
    )
"""


def _scoped(variant: Variant, call: str) -> str:
    """`call` run within the organization: its tenant (shared) or its schema (schemas)."""
    tenancy = variant.resolved["tenancy"]
    if tenancy == "shared":
        return f"""
from apps.tenants.context import use_tenant
from apps.tenants.models import Tenant

with use_tenant(Tenant.objects.get(slug={ORGANIZATION["schema"]!r})):
    {call}
"""
    if tenancy == "schemas":
        return f"""
from django_tenants.utils import tenant_context

from apps.tenants.models import Client

with tenant_context(Client.objects.get(schema_name={ORGANIZATION["schema"]!r})):
    {call}
"""
    return f"\n{call}\n"


def seed_script(variant: Variant) -> str:
    """Rows in every table the team cares about, written through the project's services."""
    script = _PEOPLE + _SEED_COMMON
    tenancy = variant.resolved["tenancy"]
    if tenancy == "shared":
        script += f"""
from apps.tenants import services as tenants

tenant = tenants.create_tenant(owner=alice, name={ORGANIZATION["name"]!r},
                               slug={ORGANIZATION["schema"]!r})
tenants.add_member(tenant, user=bob)
"""
    elif tenancy == "schemas":
        script += f"""
from apps.tenants import services as tenants
from apps.tenants.models import Client

tenants.add_member(Client.objects.get(schema_name={ORGANIZATION["schema"]!r}), user=bob)
"""
    if variant.resolved["example_app"]:
        script += _SEED_PROJECTS + _scoped(variant, "seed_projects()")
    return script


def dump_script(variant: Variant) -> str:
    """The rows as JSON on one line after ROWS_MARKER: compared before and after the update."""
    script = _PEOPLE.split("\n\ndef person")[0] + _DUMP_COMMON
    tenancy = variant.resolved["tenancy"]
    if tenancy == "shared":
        script += """
from apps.tenants.models import Tenant

rows["organizations"] = sorted(
    [t.name, t.slug, sorted([m.user.email, m.role] for m in t.memberships.all())]
    for t in Tenant.objects.all()
)
"""
    elif tenancy == "schemas":
        script += """
from apps.tenants.models import Client

rows["organizations"] = sorted(
    [c.schema_name, c.name, sorted(d.domain for d in c.domains.all()),
     sorted([m.user.email, m.role] for m in c.memberships.all())]
    for c in Client.objects.all()
)
"""
    if variant.resolved["example_app"]:
        script += _DUMP_PROJECTS + _scoped(variant, "dump_projects()")
    return script + f"\nprint({ROWS_MARKER!r} + json.dumps(rows, sort_keys=True))\n"


def rows_from(output: str) -> dict:
    lines = [line for line in output.splitlines() if line.startswith(ROWS_MARKER)]
    assert len(lines) == 1, f"no rows printed:\n{output[-3000:]}"
    return json.loads(lines[0].removeprefix(ROWS_MARKER))


def expected_counts(variant: Variant) -> dict[str, int]:
    counts = {"users": 2, "invoices": 2}
    if variant.resolved["tenancy"] == "shared":
        counts["organizations"] = 1
    elif variant.resolved["tenancy"] == "schemas":
        counts["organizations"] = 2  # the public tenant and Acme
    if variant.resolved["example_app"]:
        counts |= {"projects": 2, "tasks": 2}
    return counts


def database_name(release: Release, variant: Variant) -> str:
    version = release.version.replace(".", "_")
    return f"djpro_life_{variant.db_name.removeprefix('djpro_')}_{version}"


def redis_url(variant: Variant) -> str:
    return f"redis://127.0.0.1:6379/{variant.redis_db}"


# --- which runs the expensive checks afford ------------------------------------------------

T = TypeVar("T")


def each_at_least_once(releases: list[Release], chosen: list[T]) -> list[tuple[Release, T]]:
    """Every release and every chosen variant in at least one run, max(len) runs in all: the
    newest release with the first variant, then older releases with the next variants."""
    if not releases or not chosen:
        return []
    newest_first = releases[::-1]
    runs = max(len(releases), len(chosen))
    return [(newest_first[i % len(newest_first)], chosen[i % len(chosen)]) for i in range(runs)]
