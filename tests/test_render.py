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
from contract import (
    all_answers,
    conditional_paths,
    derived_answers,
    expected_files,
    leaks,
    path_condition_problems,
    rendered_path,
)
from variants import Variant, full_product, select

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


@pytest.fixture(scope="module")
def answers(variant: Variant) -> dict[str, Any]:
    """Every answer of the render, copier.yml's derived ones (serve_asgi, has_jobs...) included."""
    return all_answers(variant.answers)


def test_rendered_files_are_exactly_the_template_s(project: Path, answers: dict[str, Any]) -> None:
    """A feature is the set of files whose names hold its condition (tests/contract.py): the
    render has each of them exactly when the answers say so, and no other file."""
    rendered = {str(path.relative_to(project)) for path in files(project)}
    expected = expected_files(answers)
    wrong = [f"{path}: missing" for path in sorted(expected - rendered)]
    wrong += [
        f"{path}: present, the template names no such file" for path in sorted(rendered - expected)
    ]
    assert not wrong, "\n".join(wrong)


def test_path_conditions_name_one_answer() -> None:
    """`{% if a and b %}` in a path is a derived answer in copier.yml, defined once."""
    problems = list(path_condition_problems())
    assert not problems, "\n".join(problems)


def test_every_conditional_path_is_both_kept_and_dropped_by_the_matrix() -> None:
    """A conditional file that every variant keeps (or drops) is untested by the matrix: its
    condition names a question missing from tests/variants.py QUESTIONS, or cannot change."""
    combinations = [all_answers(v.answers) for v in full_product()]
    unreached = []
    for path in conditional_paths():
        kept = {rendered_path(path, answers) is not None for answers in combinations}
        if kept != {True, False}:
            unreached.append(f"{path}: {'kept' if True in kept else 'dropped'} by every variant")
    assert not unreached, "\n".join(unreached)


def test_no_file_mentions_a_feature_the_variant_lacks(
    project: Path, answers: dict[str, Any]
) -> None:
    """tests/contract.py VOCABULARY: e.g. no "Celery worker" in a CI without Celery."""
    found = [
        leak
        for path, text in text_files(project).items()
        for leak in leaks(str(path.relative_to(project)), text, answers)
    ]
    assert not found, "mentions of features this variant lacks:\n" + "\n".join(found)


INSTALLED_APPS: dict[str, Callable[[dict[str, Any]], bool]] = {
    '"apps.projects"': lambda a: a["example_app"],
    '"apps.realtime"': lambda a: a["use_channels"],
    '"apps.jobs"': lambda a: a["has_jobs"],
    '"channels"': lambda a: a["use_channels"],
    '"daphne"': lambda a: a["serve_asgi"],
    '"django_celery_beat"': lambda a: a["use_celery"],
    '"apps.tenants"': lambda a: a["tenancy"] != "none",
    '"django_tenants"': lambda a: a["tenancy"] == "schemas",
    '"apps.web"': lambda a: a["use_htmx"],
    '"django_htmx"': lambda a: a["use_htmx"],
    '"template_partials"': lambda a: a["use_htmx"],
    '"allauth"': lambda a: a["use_htmx"],
    '"allauth.mfa"': lambda a: a["use_htmx"],
    "allauth.account.middleware.AccountMiddleware": lambda a: a["use_htmx"],
}
COMPOSE_SERVICES: dict[str, Callable[[dict[str, Any]], bool]] = {
    "worker": lambda a: a["use_celery"],
    "beat": lambda a: a["use_celery"],
}


def test_installed_apps_match_the_answers(project: Path, answers: dict[str, Any]) -> None:
    # Every settings module: each feature's adds its own apps.
    settings = "".join(path.read_text() for path in (project / "config" / "settings").glob("*.py"))
    wrong = [app for app, when in INSTALLED_APPS.items() if (app in settings) is not when(answers)]
    assert not wrong, f"INSTALLED_APPS disagrees with the answers about: {wrong}"


def test_served_over_asgi_exactly_when_needed(project: Path, variant: Variant) -> None:
    asgi = all_answers(variant.answers)["serve_asgi"]
    assert asgi is (variant.resolved["use_async"] or variant.resolved["use_channels"])
    gunicorn = (project / "gunicorn.conf.py").read_text()
    expected = "config.asgi:application" if asgi else "config.wsgi:application"
    assert f'wsgi_app = "{expected}"' in gunicorn
    server = (project / "config" / "server.py").read_text()
    assert ("from uvicorn_worker import" in server) is asgi
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
    # Derived answers are recomputed on every copy and update, never recorded (so never stale).
    recorded_derived = set(derived_answers()) & set(recorded)
    assert not recorded_derived, f"derived answers recorded: {sorted(recorded_derived)}"
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


def test_compose_services(project: Path, answers: dict[str, Any]) -> None:
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    services = set(compose.get("services", {}))
    assert {"proxy", "web", "db", "redis"} <= services, f"compose services: {sorted(services)}"
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
