"""The feature contract: which files a variant has, derived from the template's own file names.

A feature is a set of files whose names carry a Jinja condition, e.g.
`apps/{% if use_celery %}...{% endif %}`. This module evaluates those names the way Copier does
(each path part rendered with the answers, a part that renders empty drops the file, `x.jinja`
wins over a sibling `x`), so the render tier can demand that a render holds exactly these files,
in every variant, without a table that restates each name.

Two deliberate differences from Copier make mistakes loud instead of silent:
- an unknown name in a path (a typo, a question not in copier.yml) raises instead of rendering
  as empty and dropping the file in every variant;
- a path condition must name one answer (`use_celery`, `not use_htmx`, `tenancy == 'shared'`):
  a combination of answers is a derived answer in copier.yml (`when: false`), defined once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from fnmatch import fnmatchcase
from functools import cache
from pathlib import Path, PurePath, PurePosixPath
from typing import Any

import yaml
from jinja2 import StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template"
SUFFIX = ".jinja"
ANSWERS_FILE = ".copier-answers.yml"

# What tests/conftest.py's snapshot leaves out of the template (Copier renders everything else,
# since copier.yml sets _subdirectory and no _exclude).
SKIPPED_NAMES = {"__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache"}

CONDITION = re.compile(r"\{%-?\s*if\s+(.+?)\s*-?%\}")
# One answer, tested alone: `name`, `not name`, `name == 'value'`, `name != 'value'`.
SIMPLE_CONDITION = re.compile(r"^(?:not\s+)?(?P<name>\w+)(?:\s*[!=]=\s*(['\"])\w*\2)?$")


@cache
def copier_config() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "copier.yml").read_text())


def questions() -> dict[str, dict[str, Any]]:
    """copier.yml's questions (asked and derived), in the order Copier resolves them."""
    return {name: spec for name, spec in copier_config().items() if not name.startswith("_")}


def derived_answers() -> list[str]:
    """Answers Copier computes and never asks nor records (`when: false`)."""
    return [name for name, spec in questions().items() if spec.get("when") is False]


@cache
def _environment() -> SandboxedEnvironment:
    # Copier's defaults (keep_trailing_newline), with undefined names raising (see above).
    return SandboxedEnvironment(keep_trailing_newline=True, undefined=StrictUndefined)


@cache
def _template(source: str) -> Template:
    return _environment().from_string(source)


def _render(source: str, context: Mapping[str, Any]) -> str:
    return _template(source).render(**context)


def _cast(name: str, kind: str, value: Any) -> Any:
    if kind != "bool" or isinstance(value, bool):
        return value
    words = {"true": True, "false": False}
    if str(value).strip().lower() not in words:
        raise ValueError(f"copier.yml {name}: {value!r} is not a bool")
    return words[str(value).strip().lower()]


def all_answers(given: Mapping[str, Any]) -> dict[str, Any]:
    """Every answer Copier would use for `data=given, defaults=True`, derived ones included."""
    answers: dict[str, Any] = {}
    for name, spec in questions().items():
        if name in given:
            value = given[name]
        else:
            value = spec.get("default")
            if isinstance(value, str) and ("{{" in value or "{%" in value):
                context = {**answers, "_copier_conf": _copier_conf(answers)}
                value = _render(value, context)
        answers[name] = _cast(name, spec.get("type", "str"), value)
    return answers


def _copier_conf(answers: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "answers_file": PurePath(ANSWERS_FILE),
        "dst_path": PurePath(str(answers.get("project_slug", "project"))),
    }


def template_paths() -> list[PurePosixPath]:
    """Every file of template/, as its (unrendered) path relative to template/."""
    found = []
    for directory, dirs, names in os.walk(TEMPLATE):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_NAMES)
        base = Path(directory).relative_to(TEMPLATE)
        found += [PurePosixPath(base / n) for n in names if not n.endswith((".pyc", ".pyo"))]
    return sorted(found)


def rendered_path(path: PurePosixPath, answers: Mapping[str, Any]) -> PurePosixPath | None:
    """Where Copier writes template/`path` given `answers`; None when the answers drop it."""
    if (TEMPLATE / f"{path}{SUFFIX}").exists():
        return None  # `x.jinja` is rendered to `x`; a verbatim `x` next to it is ignored
    if path.name.endswith(SUFFIX):
        path = path.with_name(path.name.removesuffix(SUFFIX))
    context = {**answers, "_copier_conf": _copier_conf(answers)}
    parts = []
    for part in path.parts:
        rendered = _render(part, context)
        if not rendered:
            return None
        parts.append(rendered)
    return PurePosixPath(*parts)


def expected_files(answers: Mapping[str, Any]) -> set[str]:
    """The exact set of files a render with these (complete) answers holds."""
    rendered = (rendered_path(path, answers) for path in template_paths())
    return {str(path) for path in rendered if path is not None}


def conditional_paths() -> dict[PurePosixPath, list[str]]:
    """Template paths whose name holds a condition -> the conditions, outermost first."""
    found = {}
    for path in template_paths():
        conditions = CONDITION.findall(str(path))
        if conditions:
            found[path] = conditions
    return found


def path_condition_problems() -> Iterator[str]:
    """Conditions in path names that are not one known answer."""
    known = questions()
    for path, conditions in conditional_paths().items():
        for condition in conditions:
            match = SIMPLE_CONDITION.match(condition)
            if not match:
                yield (
                    f"{path}: `{condition}` combines answers; add a derived answer to copier.yml "
                    f'(when: false, default: "{{{{ {condition} }}}}") and name the file with it'
                )
            elif match["name"] not in known:
                yield f"{path}: `{match['name']}` is not a question of copier.yml"


# --- leakage ---------------------------------------------------------------------------------

# Feature -> (when the project has it, words only a project with it may contain). Matched
# case-insensitively in every text file of a render: a variant without the feature must not
# mention it (no comment about organizations in a project without any, no Redis service "for a
# Celery worker" in a CI without Celery).
VOCABULARY: dict[str, tuple[str, list[str]]] = {
    "Celery": ("use_celery", [r"\bcelery\b", r"\bbeat\b"]),
    "Channels": ("use_channels", [r"\bchannels\b", r"channel layer", r"websocket", r"\bws/"]),
    "ASGI server": ("serve_asgi", [r"uvicorn", r"daphne"]),
    "async API": ("use_async", [r"\badrf\b"]),
    "organizations": ("tenancy != 'none'", [r"\borgani[sz]ation", r"\btenan(t|cy)"]),
    "schema per organization": ("tenancy == 'schemas'", [r"django[-_]tenants", r"migrate_schemas"]),
    "site pages": ("use_htmx", [r"htmx", r"allauth", r"playwright", r"chromium"]),
    "jobs": ("has_jobs", [r"apps[./]jobs\b", r"export ?jobs?\b", r"reminders?\b"]),
    "example app": ("example_app", [r"apps[./]projects\b", r"ProjectFactory", r"task board"]),
}
# Files that may name every feature: the answers file records each answer, yes or no.
MAY_NAME_ANY_FEATURE = {ANSWERS_FILE}

# Mentions found when this check was written, in files other work was rewriting at the time:
# (file pattern, feature) -> why it is there. Each entry is debt, to delete with its fix; a
# mention anywhere else fails.
KNOWN_LEAKS: dict[tuple[str, str], str] = {
    # Code shared by several variants that takes the richer feature's argument or branch.
    ("apps/realtime/*.py", "organizations"): "revoke_access(organization=...) for tenancy",
    ("apps/realtime/tests/test_consumers.py", "organizations"): "tests that argument",
    ("apps/realtime/broadcast.py", "site pages"): "broadcast(html=...) for the live board",
    ("apps/projects/live/access.py", "organizations"): "LiveAccess.organization: realtime's key",
    ("apps/projects/consumers.py", "organizations"): "hands that key to the realtime consumer",
    ("apps/projects/live_board.py", "organizations"): "the message for revoke reason 'removed'",
    ("apps/web/*", "organizations"): "the site's organization switcher, empty without tenancy",
    ("apps/web/*", "Channels"): "the site's live-update hooks, idle without Channels",
    ("apps/projects/templates/projects/board.html", "Channels"): "the board's live-update hook",
    ("config/settings/base.py", "Channels"): "CSP comment: connect-src covers WebSockets",
}


def _known(relative: str, feature: str) -> bool:
    # fnmatch: `*` spans folders, so "apps/web/*" is all of apps/web.
    return any(f == feature and fnmatchcase(relative, pattern) for pattern, f in KNOWN_LEAKS)


def leaks(relative: str, text: str, answers: Mapping[str, Any]) -> Iterator[str]:
    """`file:line: word (feature)` for each mention of a feature these answers lack."""
    if relative in MAY_NAME_ANY_FEATURE:
        return
    for feature, (when, words) in VOCABULARY.items():
        if _render(f"{{{{ {when} }}}}", answers) == "True":
            continue
        if _known(relative, feature):
            continue
        pattern = re.compile("|".join(words), re.IGNORECASE)
        for number, line in enumerate(text.splitlines(), 1):
            if match := pattern.search(line):
                yield f"{relative}:{number}: {match[0]!r} ({feature}): {line.strip()[:100]}"
