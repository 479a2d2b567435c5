"""Tier 1: every variant renders, and the result is clean, complete and consistent."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from variants import Variant, select

VARIANTS = select("render")

# Django templates are copied verbatim, and GitHub workflows use ${{ }}: Jinja-like on purpose.
VERBATIM = (
    "*.html",
    "templates/*/email/*.txt",
    ".github/workflows/*.yml",
    ".github/workflows/*.yaml",
)
LEFTOVER_JINJA = re.compile(r"\{\{|\{%|\{#|%\}")


@pytest.fixture(scope="module", params=VARIANTS, ids=lambda v: v.name)
def variant(request: pytest.FixtureRequest) -> Variant:
    return request.param


@pytest.fixture(scope="module")
def project(variant: Variant, render, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dst = tmp_path_factory.mktemp(variant.name) / variant.answers["project_slug"]
    return render(variant.answers, dst)


def files(project: Path) -> list[Path]:
    return sorted(p for p in project.rglob("*") if p.is_file())


def text_files(project: Path) -> dict[Path, str]:
    texts = {}
    for path in files(project):
        try:
            texts[path] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary asset (favicon, image)
    return texts


def verbatim(project: Path, path: Path) -> bool:
    relative = path.relative_to(project)
    return any(relative.match(pattern) for pattern in VERBATIM)


def run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)


def test_no_leftover_jinja(project: Path) -> None:
    leftovers = []
    for path, text in text_files(project).items():
        if verbatim(project, path):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if LEFTOVER_JINJA.search(line):
                leftovers.append(f"{path.relative_to(project)}:{number}: {line.strip()}")
    assert not leftovers, "Jinja left in rendered files:\n" + "\n".join(leftovers)


def test_no_template_paths_left(project: Path) -> None:
    bad = [
        str(p.relative_to(project))
        for p in project.rglob("*")
        if "{" in p.name or "}" in p.name or p.name.endswith(".jinja")
    ]
    assert not bad, f"unrendered names: {bad}"


# What each feature adds, as data: path -> when it must exist (given the resolved answers).
# Every other render must not have it, so switching a feature off leaves nothing behind.
def example(a: dict[str, Any]) -> bool:
    return a["example_app"]


def asgi(a: dict[str, Any]) -> bool:
    return a["use_async"] or a["use_channels"]


def shared(a: dict[str, Any]) -> bool:
    return a["tenancy"] == "shared"


def schemas(a: dict[str, Any]) -> bool:
    return a["tenancy"] == "schemas"


def tenants(a: dict[str, Any]) -> bool:
    return a["tenancy"] != "none"


def htmx(a: dict[str, Any]) -> bool:
    return a["use_htmx"]


FEATURE_PATHS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "apps/projects": example,
    "apps/projects/tests/test_api_async.py": lambda a: example(a) and a["use_async"],
    "apps/projects/consumers.py": lambda a: example(a) and a["use_channels"],
    "apps/projects/receivers.py": lambda a: example(a) and a["use_channels"],
    "apps/projects/live_access.py": lambda a: example(a) and a["use_channels"],
    "apps/projects/migrations/0002_tenant.py": lambda a: example(a) and shared(a),
    "apps/jobs/migrations/0002_tenant.py": lambda a: example(a) and a["use_celery"] and shared(a),
    "apps/realtime": lambda a: a["use_channels"],
    "config/websockets.py": lambda a: a["use_channels"],
    "config/settings/channels.py": lambda a: a["use_channels"],
    "config/celery.py": lambda a: a["use_celery"],
    "config/settings/celery.py": lambda a: a["use_celery"],
    "apps/core/tasks.py": lambda a: a["use_celery"],
    "apps/jobs": lambda a: example(a) and a["use_celery"],
    "apps/tenants": tenants,
    "config/settings/tenancy.py": tenants,
    "apps/tenants/context.py": shared,
    "apps/tenants/api": shared,
    "apps/tenants/tasks.py": lambda a: shared(a) and a["use_celery"],
    "apps/tenants/tests/test_tasks.py": lambda a: shared(a) and a["use_celery"],
    "apps/tenants/migrations/0002_tenant_slug_ci_unique.py": shared,
    "apps/tenants/tests/test_schema.py": lambda a: shared(a) and example(a),
    "apps/tenants/management/commands/create_organization.py": schemas,
    "config/urls_public.py": schemas,
    "apps/tenants/tests/test_isolation.py": lambda a: tenants(a) and example(a),
    "apps/tenants/tests/test_isolation_tasks.py": lambda a: (
        tenants(a) and example(a) and a["use_celery"]
    ),
    "apps/tenants/tests/test_isolation_websocket.py": lambda a: (
        tenants(a) and example(a) and a["use_channels"]
    ),
    "apps/web": htmx,
    "apps/web/templates/web/base.html": htmx,
    "apps/web/static/web/site.css": htmx,
    "apps/web/tests/test_browser.py": htmx,
    "apps/web/accounts.py": htmx,
    "apps/web/templates/allauth/layouts/base.html": htmx,
    "apps/users/api/two_factor.py": htmx,
    "apps/users/tests/test_two_factor_tokens.py": htmx,
    "apps/web/tests/asgi_server.py": lambda a: htmx(a) and a["use_channels"],
    "apps/tenants/tests/browser_hosts.py": lambda a: htmx(a) and schemas(a),
    "config/settings/web.py": htmx,
    "apps/projects/views.py": lambda a: example(a) and htmx(a),
    "apps/projects/forms.py": lambda a: example(a) and htmx(a),
    "apps/projects/urls.py": lambda a: example(a) and htmx(a),
    "apps/projects/templates/projects/board.html": lambda a: example(a) and htmx(a),
    "apps/projects/tests/test_views.py": lambda a: example(a) and htmx(a),
    "apps/projects/tests/test_browser.py": lambda a: example(a) and htmx(a),
    "apps/projects/live_board.py": lambda a: example(a) and htmx(a) and a["use_channels"],
    "apps/projects/tests/test_live_board.py": lambda a: (
        example(a) and htmx(a) and a["use_channels"]
    ),
    "apps/projects/tests/test_browser_live.py": lambda a: (
        example(a) and htmx(a) and a["use_channels"]
    ),
    "apps/tenants/page_middleware.py": lambda a: tenants(a) and htmx(a),
    "apps/tenants/views.py": lambda a: tenants(a) and htmx(a),
    "apps/tenants/context_processors.py": lambda a: tenants(a) and htmx(a),
    "apps/tenants/hosts.py": lambda a: schemas(a) and htmx(a),
    "apps/tenants/urls.py": lambda a: tenants(a) and htmx(a),
    "apps/tenants/forms.py": lambda a: tenants(a) and htmx(a),
    "apps/tenants/public_urls.py": lambda a: schemas(a) and htmx(a),
    "apps/tenants/migrations/0002_invitation.py": lambda a: schemas(a) and htmx(a),
    "apps/tenants/templates/tenants/accept_invitation.html": lambda a: tenants(a) and htmx(a),
    "apps/tenants/templates/tenants/organization.html": lambda a: tenants(a) and htmx(a),
    "apps/tenants/templates/tenants/create_organization.html": lambda a: tenants(a) and htmx(a),
    "apps/tenants/templates/tenants/elsewhere.html": lambda a: schemas(a) and htmx(a),
    "apps/tenants/tests/test_roles.py": shared,
    "apps/tenants/tests/test_organization_pages.py": lambda a: tenants(a) and htmx(a),
    "apps/tenants/tests/test_browser_journey.py": lambda a: tenants(a) and example(a) and htmx(a),
    "apps/projects/member_pages.py": lambda a: tenants(a) and example(a) and htmx(a),
    "apps/projects/templates/projects/members.html": lambda a: (
        tenants(a) and example(a) and htmx(a)
    ),
    "apps/projects/tests/test_member_pages.py": lambda a: tenants(a) and example(a) and htmx(a),
    "apps/tenants/tests/test_isolation_pages.py": lambda a: tenants(a) and example(a) and htmx(a),
}
INSTALLED_APPS: dict[str, Callable[[dict[str, Any]], bool]] = {
    '"apps.projects"': example,
    '"apps.realtime"': lambda a: a["use_channels"],
    '"apps.jobs"': lambda a: example(a) and a["use_celery"],
    '"channels"': lambda a: a["use_channels"],
    '"daphne"': asgi,
    '"django_celery_beat"': lambda a: a["use_celery"],
    '"apps.tenants"': tenants,
    '"django_tenants"': schemas,
    '"apps.web"': htmx,
    '"django_htmx"': htmx,
    '"template_partials"': htmx,
    '"allauth"': htmx,
    '"allauth.mfa"': htmx,
    "allauth.account.middleware.AccountMiddleware": htmx,
}
COMPOSE_SERVICES: dict[str, Callable[[dict[str, Any]], bool]] = {
    "worker": lambda a: a["use_celery"],
    "beat": lambda a: a["use_celery"],
}


def test_feature_files_present_exactly_when_chosen(project: Path, variant: Variant) -> None:
    answers = variant.resolved
    wrong = [
        f"{path}: {'missing' if wanted else 'present but not chosen'}"
        for path, when in FEATURE_PATHS.items()
        if (project / path).exists() is not (wanted := when(answers))
    ]
    assert not wrong, "\n".join(wrong)


def test_installed_apps_match_the_answers(project: Path, variant: Variant) -> None:
    # Every settings module: each feature's adds its own apps.
    settings = "".join(path.read_text() for path in (project / "config" / "settings").glob("*.py"))
    answers = variant.resolved
    wrong = [app for app, when in INSTALLED_APPS.items() if (app in settings) is not when(answers)]
    assert not wrong, f"INSTALLED_APPS disagrees with the answers about: {wrong}"


def test_served_over_asgi_exactly_when_needed(project: Path, variant: Variant) -> None:
    gunicorn = (project / "gunicorn.conf.py").read_text()
    expected = "config.asgi:application" if asgi(variant.resolved) else "config.wsgi:application"
    assert f'wsgi_app = "{expected}"' in gunicorn
    server = (project / "config" / "server.py").read_text()
    assert ("from uvicorn_worker import" in server) is asgi(variant.resolved)
    views = project / "apps" / "projects" / "api" / "views.py"
    if views.exists():
        assert ("from adrf" in views.read_text()) is variant.resolved["use_async"]


def test_production_requires_a_broker_exactly_with_celery(project: Path, variant: Variant) -> None:
    production = (project / "config" / "settings" / "production.py").read_text()
    assert ('"CELERY_BROKER_URL"' in production) is variant.resolved["use_celery"]


def test_core_layout(project: Path) -> None:
    expected = [
        "manage.py",
        "pyproject.toml",
        "config/settings/base.py",
        "config/settings/local.py",
        "config/settings/test.py",
        "config/settings/production.py",
        "apps/core",
        "apps/users",
        "compose.yaml",
        "Dockerfile",
        "README.md",
        ".env",
    ]
    missing = [name for name in expected if not (project / name).exists()]
    assert not missing, f"missing from the render: {missing}"


def test_python_version_pinned(project: Path, variant: Variant) -> None:
    version = variant.resolved["python_version"]
    assert (project / ".python-version").read_text() == f"{version}\n"
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    requires = pyproject["project"]["requires-python"]
    assert requires.startswith(f">={version}"), f"requires-python = {requires!r}"


def test_answers_file_records_every_answer(project: Path, variant: Variant) -> None:
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text())
    differing = {
        key: (value, recorded.get(key))
        for key, value in variant.answers.items()
        if recorded.get(key) != value
    }
    assert not differing, f"answer given vs recorded: {differing}"
    assert Path(recorded["_src_path"]).is_absolute(), recorded["_src_path"]


def ruff(project: Path, *args: str) -> None:
    """The dev env's ruff with the generated project's own configuration (cwd=project)."""
    result = run([sys.executable, "-m", "ruff", *args, "--no-cache", "."], project)
    if result.returncode:
        output = (result.stdout + result.stderr)[-4000:]
        pytest.fail(f"ruff {' '.join(args)} exited {result.returncode}:\n{output}", pytrace=False)


def test_ruff_check(project: Path) -> None:
    ruff(project, "check")


def test_ruff_format(project: Path) -> None:
    ruff(project, "format", "--check")


def test_no_blank_line_scars(project: Path) -> None:
    """Conditional Jinja blocks tend to leave extra blank lines and trailing spaces behind."""
    scars = []
    for path, text in text_files(project).items():
        name = str(path.relative_to(project))
        if not text:
            continue  # an empty __init__.py is fine
        if not text.endswith("\n") or text.endswith("\n\n"):
            scars.append(f"{name}: must end with exactly one newline")
        if path.suffix == ".py" and "\n\n\n\n" in text:
            scars.append(f"{name}: 3+ consecutive blank lines")
        for number, line in enumerate(text.splitlines(), 1):
            if line != line.rstrip():
                scars.append(f"{name}:{number}: trailing whitespace")
    assert not scars, "\n".join(scars)


def test_compose_services(project: Path, variant: Variant) -> None:
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    services = set(compose.get("services", {}))
    assert {"proxy", "web", "db", "redis"} <= services, f"compose services: {sorted(services)}"
    answers = variant.resolved
    wrong = [name for name, when in COMPOSE_SERVICES.items() if (name in services) != when(answers)]
    assert not wrong, f"compose services disagree with the answers about: {wrong}"


def test_compose_sets_the_site_address(project: Path, variant: Variant) -> None:
    """With a site, emails link to SITE_URL: the compose stack sets it to where it serves."""
    environment = yaml.safe_load((project / "compose.yaml").read_text())["x-app-environment"]
    assert ("SITE_URL" in environment) == variant.resolved["use_htmx"], sorted(environment)


def test_dockerfile(project: Path) -> None:
    dockerfile = (project / "Dockerfile").read_text()
    instructions = [line.strip() for line in dockerfile.splitlines() if line.strip()]
    users = [line.split()[1] for line in instructions if line.upper().startswith("USER ")]
    assert users, "Dockerfile never switches USER"
    assert users[-1] not in {"root", "0", "0:0"}, f"final USER is {users[-1]}"
    assert any(line.upper().startswith("HEALTHCHECK ") for line in instructions), "no HEALTHCHECK"
    assert re.search(r"^FROM\s+\S+\s+AS\s+build\b", dockerfile, re.I | re.M), (
        "no multi-stage `FROM ... AS build`"
    )
