"""Tier 2: copier.yml refuses bad answers with a message that says what to type instead."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import copier
import pytest
import yaml
from variants import BASE_ANSWERS

ROOT = Path(__file__).resolve().parent.parent

# question -> (bad values, words the refusal must contain, what to type: within its first
# FIX_WITHIN characters, since a terminal may cut the rest)
BAD_ANSWERS = {
    "project_name": (["", "   "], ["Type a project name"], "Acme Tracker"),
    "project_slug": (
        ["Acme", "acme-tracker", "2fast", "acme tracker", "class", "ümlaut"],
        ["not a lowercase Python identifier"],
        "lowercase identifier (a-z, 0-9, _",
    ),
    "description": (["two\nlines"], ["one line"], "Keep the description to one line"),
    "domain_name": (
        ["https://example.com", "Example.com", "example", "example.com/path", "-a.com", "a..com"],
        ["not a domain name"],
        'host name like "tracker.example.com" (lowercase',
    ),
    "author_name": ([" "], ["Type an author or team name"], '"Acme Engineering"'),
    "author_email": (
        ["dev", "dev@", "@example.com", "dev@example", "a b@example.com"],
        ["not an email address"],
        '"dev@example.com"',
    ),
    "timezone": (
        ["Paris", "Europe/Pariss", "utc+1", ""],
        ["not an IANA time zone"],
        '"UTC", "Europe/Paris" or "America/New_York"',
    ),
}
FIX_WITHIN = 70
SHADOWING_SLUGS = ["django", "test", "tests", "config", "apps", "celery", "channels",
                   "rest_framework"]  # fmt: skip
GOOD_ANSWERS = {
    "project_slug": ["acme", "acme_tracker2", "shop"],
    "domain_name": ["example.com", "tracker.acme.example", "localhost", "a-b.example.org"],
    "author_email": ["dev@example.com", "first.last+tag@sub.example.org"],
    "timezone": ["UTC", "Europe/Paris", "America/New_York"],
}


def cases(table):
    return [
        pytest.param(question, value, words, fix, id=f"{question}={value!r}")
        for question, (values, words, fix) in table.items()
        for value in values
    ]


def refusal_text(error: BaseException, question: str) -> str:
    """The validator's own message, without Copier's "Validation error for question" prefix."""
    message = str(error)
    return message.split(f"{question}': ", 1)[-1].strip()


def copy(src: Path, dst: Path, **answers) -> Path:
    copier.run_copy(str(src), dst, data={**BASE_ANSWERS, **answers}, defaults=True,
                    quiet=True)  # fmt: skip
    return dst


def recorded(project: Path) -> dict:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


@pytest.mark.parametrize(("question", "value", "words", "fix"), cases(BAD_ANSWERS))
def test_bad_answer_refused(template_snapshot, tmp_path, question, value, words, fix):
    with pytest.raises(ValueError) as refusal:
        copy(template_snapshot, tmp_path / "p", **{question: value})
    message = str(refusal.value)
    missing = [w for w in [question, *words] if w not in message]
    assert not missing, f"refusal lacks {missing}: {message}"
    start = refusal_text(refusal.value, question)[:FIX_WITHIN]
    assert fix in start, f"what to type is not in the first {FIX_WITHIN} characters: {start!r}"
    assert not (tmp_path / "p" / "manage.py").exists(), "a refused copy still wrote files"


@pytest.mark.parametrize("slug", ["Acme Tracker", "class", "2fast", "my-shop", "A" * 60])
def test_slug_refusal_starts_with_a_valid_slug(template_snapshot, tmp_path, slug):
    with pytest.raises(ValueError) as refusal:
        copy(template_snapshot, tmp_path / "p", project_slug=slug)
    suggestion = re.match(r'Type "([^"]*)"', refusal_text(refusal.value, "project_slug"))
    assert suggestion, f"no suggestion first in: {refusal.value}"
    copy(template_snapshot, tmp_path / "ok", project_slug=suggestion[1])  # must be accepted


@pytest.mark.parametrize("slug", SHADOWING_SLUGS)
def test_slug_shadowing_a_module_refused(template_snapshot, tmp_path, slug):
    with pytest.raises(ValueError, match="would shadow") as refusal:
        copy(template_snapshot, tmp_path / "p", project_slug=slug)
    start = refusal_text(refusal.value, "project_slug")[:FIX_WITHIN]
    assert f'"{slug}_project"' in start, f"no alternative first: {start!r}"


def test_defaults_alone_name_the_project_after_its_folder(template_snapshot, tmp_path):
    """`copier copy --defaults <template> my-shop`, the first command many people type."""
    cli = [sys.executable, "-m", "copier", "copy", "--defaults", "--quiet"]
    result = subprocess.run([*cli, str(template_snapshot), str(tmp_path / "my-shop")],
                            capture_output=True, text=True, check=False)  # fmt: skip
    assert result.returncode == 0, (result.stdout + result.stderr)[-2000:]
    answers = recorded(tmp_path / "my-shop")
    assert (answers["project_name"], answers["project_slug"]) == ("My Shop", "my_shop")


@pytest.mark.parametrize(
    ("question", "value"), [(q, v) for q, values in GOOD_ANSWERS.items() for v in values]
)
def test_good_answer_accepted(template_snapshot, tmp_path, question, value):
    project = copy(template_snapshot, tmp_path / "p", **{question: value})
    assert recorded(project)[question] == value


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Acme Tracker", "acme_tracker"), ("2Fast", "project_2fast"), ("Café Crème", "cafe_creme")],
)
def test_slug_derived_from_name(template_snapshot, tmp_path, name, slug):
    dst = tmp_path / "p"
    copier.run_copy(str(template_snapshot), dst, data={"project_name": name}, defaults=True,
                    quiet=True)  # fmt: skip
    assert recorded(dst)["project_slug"] == slug


def test_copy_needs_no_trust(template_snapshot, tmp_path):
    """No --trust, no extra package: the command in the README, as a person (or Renovate's
    copier manager, which cannot pass --trust) runs it."""
    cli = [sys.executable, "-m", "copier", "copy", "--defaults", "--data", "project_name=X"]
    result = subprocess.run([*cli, str(template_snapshot), str(tmp_path / "p")],
                            capture_output=True, text=True, check=False)  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"exit {result.returncode}: {output[-2000:]}"
    assert (tmp_path / "p" / "manage.py").exists()


def test_the_template_uses_nothing_copier_calls_unsafe():
    """No Jinja extension, task or migration script: each would bring back --trust."""
    config = yaml.safe_load((ROOT / "copier.yml").read_text())
    unsafe = {"_jinja_extensions", "_tasks", "_migrations"} & set(config)
    assert not unsafe, f"copier.yml uses {unsafe}, which makes every copy and update need --trust"
