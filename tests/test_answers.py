"""Unit tests of extensions/answers.jinja, the checks behind copier.yml's validators.

The macros run in an environment built as Copier builds its own: sandboxed, loading files from
the template's root, with jinja2-ansible-filters (the regex filters) and nothing else.
"""

from __future__ import annotations

import zoneinfo
from pathlib import Path

import pytest
from copier._jinja_ext import CopierTemplateLoader
from jinja2.sandbox import SandboxedEnvironment

ROOT = Path(__file__).resolve().parent.parent


class _Checks:
    """The macros as functions answering True/False (python_identifier answers a string)."""

    def __init__(self) -> None:
        env = SandboxedEnvironment(
            loader=CopierTemplateLoader(ROOT),
            extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"],
        )
        self._macros = env.get_template("extensions/answers.jinja").module

    def python_identifier(self, text: str) -> str:
        return str(self._macros.python_identifier(text))

    def __getattr__(self, name: str):
        macro = getattr(self._macros, name)
        return lambda value: str(macro(value)) == "yes"


answers = _Checks()


def test_the_time_zone_list_is_pythons():
    """extensions/timezones.txt lists what zoneinfo lists here; regenerate it when tzdata moves:
    python -c "import zoneinfo; print(*sorted(zoneinfo.available_timezones()), sep='\\n')"
    """
    shipped = (ROOT / "extensions" / "timezones.txt").read_text().split()
    assert shipped == sorted(shipped), "keep extensions/timezones.txt sorted"
    unknown = set(shipped) - zoneinfo.available_timezones()
    assert not unknown, f"not time zones here: {sorted(unknown)}"
    # A newer tzdata may add a zone or two before the list is regenerated; more means stale.
    missing = zoneinfo.available_timezones() - set(shipped)
    assert len(missing) <= 3, f"regenerate extensions/timezones.txt: missing {sorted(missing)}"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Acme Tracker", "acme_tracker"),
        ("My Shop 2", "my_shop_2"),
        ("2Fast", "project_2fast"),
        ("Café Crème", "cafe_creme"),
        ("  --Hello--World--  ", "hello_world"),
        ("日本", "project"),
        ("", "project"),
    ],
)
def test_python_identifier(name, slug):
    assert answers.python_identifier(name) == slug


@pytest.mark.parametrize(
    "name", ["Acme Tracker", "2Fast", "x", "Über-App", "class", "import", "Django", "Tests"]
)
def test_python_identifier_output_is_accepted(name):
    """The derived default must pass the slug validator, or `--defaults` copies would fail."""
    slug = answers.python_identifier(name)
    assert answers.is_lowercase_identifier(slug), f"{name!r} -> {slug!r} is not an identifier"
    assert not answers.shadows_module(slug), f"{name!r} -> {slug!r} shadows a module"


@pytest.mark.parametrize("value", ["acme", "acme_tracker", "a1", "shop_2"])
def test_is_lowercase_identifier_accepts(value):
    assert answers.is_lowercase_identifier(value)


@pytest.mark.parametrize("value", ["Acme", "1acme", "acme-tracker", "acme tracker", "", "class",
                                   "None", "ümlaut", "acme.tracker"])  # fmt: skip
def test_is_lowercase_identifier_rejects(value):
    assert not answers.is_lowercase_identifier(value)


@pytest.mark.parametrize("value", ["django", "test", "tests", "config", "apps", "celery",
                                   "channels", "rest_framework"])  # fmt: skip
def test_shadows_module(value):
    assert answers.shadows_module(value)


@pytest.mark.parametrize("value", ["acme", "django_app", "my_config"])
def test_does_not_shadow(value):
    assert not answers.shadows_module(value)


@pytest.mark.parametrize("value", ["dev@example.com", "first.last+tag@sub.example.org"])
def test_is_email_accepts(value):
    assert answers.is_email(value)


@pytest.mark.parametrize("value", ["dev", "dev@", "@example.com", "dev@example", "a b@x.com",
                                   "dev@@example.com", "x" * 250 + "@example.com"])  # fmt: skip
def test_is_email_rejects(value):
    assert not answers.is_email(value)


@pytest.mark.parametrize("value", ["example.com", "tracker.acme.example", "localhost", "a-b.io"])
def test_is_domain_name_accepts(value):
    assert answers.is_domain_name(value)


@pytest.mark.parametrize("value", ["example", "Example.com", "https://example.com", "-a.com",
                                   "a-.com", "a..com", "example.com/", "1.2.3.4", "x" * 64 + ".com",
                                   "example.com."])  # fmt: skip
def test_is_domain_name_rejects(value):
    assert not answers.is_domain_name(value)


@pytest.mark.parametrize("value", ["UTC", "Europe/Paris", "America/New_York"])
def test_is_iana_timezone_accepts(value):
    assert answers.is_iana_timezone(value)


@pytest.mark.parametrize("value", ["Paris", "europe/paris", "UTC+1", ""])
def test_is_iana_timezone_rejects(value):
    assert not answers.is_iana_timezone(value)
