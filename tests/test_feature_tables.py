"""Switching an answer off leaves the tables of the migrations it takes away: docs/updating.md
must name, for each such change, the `migrate <app> <target>` that unapplies them first.

Derived from the template's file names (tests/contract.py), not restated: for each change, the
migrations rendered before and not after, per app, and the newest migration the app keeps (or
`zero`).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

import pytest
from conftest import ROOT
from contract import all_answers, expected_files
from variants import named

UPDATING = ROOT / "docs" / "updating.md"
EVERYTHING = {v.name: v for v in named()}
# (variant with the feature, the answer that switches it off). use_htmx with tenancy=shared takes
# away only third-party tables (allauth's), which docs/updating.md names by hand.
CHANGES = [
    ("everything", {"example_app": False}),
    ("everything", {"use_celery": False}),
    ("everything", {"tenancy": "none"}),
    ("everything_schemas", {"use_htmx": False}),
    ("everything_schemas", {"example_app": False}),
]


def migrations(answers: dict) -> dict[str, set[str]]:
    """App label -> migration names, for the files these answers render."""
    found: dict[str, set[str]] = {}
    for name in expected_files(all_answers(answers)):
        path = PurePosixPath(name)
        if len(path.parts) == 4 and path.parts[2] == "migrations" and path.stem != "__init__":
            found.setdefault(path.parts[1], set()).add(path.stem)
    return found


def unapply_commands(before: dict[str, set[str]], after: dict[str, set[str]]) -> list[str]:
    commands = []
    for app, names in sorted(before.items()):
        if names - after.get(app, set()):
            kept = sorted(names & after.get(app, set()))
            commands.append(f"migrate {app} {kept[-1][:4] if kept else 'zero'}")
    return commands


@pytest.mark.parametrize(("variant", "change"), CHANGES, ids=lambda c: str(c))
def test_docs_name_the_migrations_to_unapply(variant: str, change: dict) -> None:
    answers = EVERYTHING[variant].answers
    commands = unapply_commands(migrations(answers), migrations({**answers, **change}))
    assert commands, f"{change} on {variant} takes no migration away: drop it from CHANGES"
    docs = re.sub(r"\s+", " ", UPDATING.read_text())
    missing = [c for c in commands if c not in docs]
    assert not missing, f"docs/updating.md does not say to run {missing} before {change}"
