"""The single declaration of which template variants the tests cover.

Adding a copier.yml question to the matrix = adding one entry to QUESTIONS (and a named variant
if a specific combination is risky). Everything else (ids, database names, tiers) derives from it.

Tiers, chosen with the env var DJANGO_PRO_MATRIX (named | pairwise | full):
- render tier (tests/test_render.py): default "full", the whole product; a render is cheap.
- suite tier (tests/test_generated_suite.py): default NAMED + pairwise, deduplicated; each variant
  costs a `uv sync` and a full test run.
- docs tier (tests/test_documentation.py): DOCS_VARIANTS, whose READMEs run as written.
- lifecycle tier (tests/test_lifecycle.py): every named variant render-only; LIFECYCLE_VARIANTS
  through a database and the generated suite.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from allpairspy import AllPairs

ROOT = Path(__file__).resolve().parent.parent

# --- the data -------------------------------------------------------------------------------

# Question -> every value the matrix must cover. Order matters: it is the order of the ids.
QUESTIONS: dict[str, list[Any]] = {
    "python_version": ["3.12", "3.13"],
    "example_app": [True, False],
    "use_async": [False, True],
    "use_channels": [False, True],
    "use_celery": [False, True],
    "tenancy": ["none", "shared", "schemas"],
    "use_htmx": [False, True],
}

# Fixed answers to the free-text questions, chosen to differ from copier.yml's defaults so a
# render proves the answer (not the default) reached the files.
BASE_ANSWERS: dict[str, Any] = {
    "project_name": "Acme Tracker",
    "project_slug": "acme_tracker",
    "description": "Tracks Acme's projects and tasks.",
    "domain_name": "tracker.acme.example",
    "author_name": "Acme Engineering",
    "author_email": "dev@acme.example",
    "timezone": "Europe/Paris",
}

# Hand-picked combinations (partial answers over BASE_ANSWERS; the rest are copier.yml defaults).
NAMED: dict[str, dict[str, Any]] = {
    "default": {},
    "minimal": {"example_app": False},
    "py313": {"python_version": "3.13"},
    "realtime": {"use_async": True, "use_channels": True},
    "tenants": {"tenancy": "shared"},
    "schemas": {"tenancy": "schemas"},
    "htmx": {"use_htmx": True},
    "everything": {
        "use_async": True,
        "use_channels": True,
        "use_celery": True,
        "tenancy": "shared",
        "use_htmx": True,
    },
    "everything_schemas": {
        "use_async": True,
        "use_channels": True,
        "use_celery": True,
        "tenancy": "schemas",
        "use_htmx": True,
    },
}

# Short id labels; a question not listed here is labelled by its name without "use_".
LABELS: dict[str, str] = {"python_version": "py", "example_app": "example"}


def is_valid(answers: dict[str, Any]) -> bool:
    """Refuse impossible combinations (none yet).

    Also called by pairwise() on *partial* answers (a prefix of QUESTIONS), so a rule must only
    reject when every question it looks at is present, e.g.
    `return not (answers.get("tenancy") == "schemas" and answers.get("use_async") is False)`.
    """
    return True


# --- derived --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    name: str
    answers: dict[str, Any] = field(hash=False)  # the data given to Copier

    @property
    def resolved(self) -> dict[str, Any]:
        """Matrix answers with copier.yml's literal defaults filled in (used to deduplicate)."""
        return {**copier_defaults(), **{q: self.answers[q] for q in QUESTIONS if q in self.answers}}

    @property
    def _digest(self) -> str:
        key = json.dumps(self.resolved, sort_keys=True)
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def db_name(self) -> str:
        """A PostgreSQL database name unique to the combination (well under 63 characters)."""
        return f"djpro_{self._digest[:12]}"

    @property
    def redis_prefix(self) -> str:
        return f"{self.db_name}:"

    @property
    def redis_db(self) -> int:
        """One of Redis' databases 1 to 15 (0 is the developer's own); the key prefix is what
        keeps variants apart."""
        return 1 + int(self._digest[:8], 16) % 15


def copier_defaults() -> dict[str, Any]:
    """copier.yml defaults of the QUESTIONS that have a literal (non-Jinja) default."""
    config = yaml.safe_load((ROOT / "copier.yml").read_text())
    defaults = {}
    for question in QUESTIONS:
        default = config.get(question, {}).get("default")
        if default is not None and not (isinstance(default, str) and "{{" in default):
            defaults[question] = default
    return defaults


def label(question: str, value: Any) -> str:
    name = LABELS.get(question, question.removeprefix("use_"))
    if isinstance(value, bool):
        return name if value else f"no{name}"
    return f"{name}{value}" if question in LABELS else f"{name}={value}"


def _variant(values: dict[str, Any]) -> Variant:
    name = "-".join(label(q, v) for q, v in values.items())
    return Variant(name, {**BASE_ANSWERS, **values})


def full_product() -> list[Variant]:
    combos = (dict(zip(QUESTIONS, values, strict=True)) for values in _product())
    return [_variant(c) for c in combos if is_valid(c)]


def _product():
    return itertools.product(*QUESTIONS.values())


def pairwise() -> list[Variant]:
    """A small set of variants in which every pair of values of two questions appears."""
    names = list(QUESTIONS)
    if len(names) < 2:  # allpairspy needs two parameters; one question = its values
        return full_product()

    def valid_prefix(row: list[Any]) -> bool:
        return is_valid(dict(zip(names, row, strict=False)))

    rows = AllPairs(list(QUESTIONS.values()), filter_func=valid_prefix)
    return [_variant(dict(zip(names, row, strict=True))) for row in rows]


def named() -> list[Variant]:
    return [Variant(name, {**BASE_ANSWERS, **partial}) for name, partial in NAMED.items()]


def dedupe(variants: list[Variant]) -> list[Variant]:
    """Keep the first variant of each resolved combination (named ones come first)."""
    seen: set[str] = set()
    kept = []
    for variant in variants:
        if variant.db_name not in seen:
            seen.add(variant.db_name)
            kept.append(variant)
    return kept


# The docs tier runs each variant's README from `uv sync` to the test suite (minutes each): the
# variants whose README differs most, within about six minutes on two cores.
DOCS_VARIANTS = ["default", "tenants", "realtime", "everything", "everything_schemas"]

# The lifecycle tier generates each of these at a release, migrates a database with rows (on the
# database named here), updates to head, migrates again and runs the generated suite (minutes
# each): the most features on each database, within about six minutes on two cores. Longest
# first, so that two xdist workers share them evenly.
LIFECYCLE_VARIANTS = {
    "everything": "postgres",
    "everything_schemas": "postgres",
    "default": "sqlite",
}

TIER_DEFAULTS = {
    "render": "full",
    "suite": "named+pairwise",
    "judges": "named",
    "docs": "docs",
    "lifecycle": "lifecycle",
}
SELECTIONS = {
    "docs": lambda: [v for v in named() if v.name in DOCS_VARIANTS],
    "lifecycle": lambda: [v for name in LIFECYCLE_VARIANTS for v in named() if v.name == name],
    "named": named,
    "pairwise": pairwise,
    "full": full_product,
    "named+pairwise": lambda: named() + pairwise(),
}


def lifecycle_database(variant: Variant) -> str:
    """postgres or sqlite: LIFECYCLE_VARIANTS' choice, else PostgreSQL only where required."""
    default = "postgres" if variant.resolved["tenancy"] == "schemas" else "sqlite"
    return LIFECYCLE_VARIANTS.get(variant.name, default)


def select(tier: str) -> list[Variant]:
    """The variants of a tier; DJANGO_PRO_MATRIX (named | pairwise | full) overrides the default."""
    choice = os.environ.get("DJANGO_PRO_MATRIX") or TIER_DEFAULTS[tier]
    if choice not in SELECTIONS:
        raise ValueError(f"DJANGO_PRO_MATRIX={choice!r}: use one of {', '.join(SELECTIONS)}")
    return dedupe(SELECTIONS[choice]())
