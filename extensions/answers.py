"""Jinja tests and filters that copier.yml uses to derive and validate answers.

The logic lives in plain functions so it is unit-tested without Copier; the `AnswerChecks`
extension only registers them with the Jinja environment.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
import zoneinfo

from jinja2 import Environment
from jinja2.ext import Extension

# Top-level modules a generated project imports. A project slug with one of these names would
# shadow it wherever the slug becomes a module or a path on sys.path.
RESERVED_MODULES = frozenset(
    {
        "adrf", "apps", "asgiref", "celery", "channels", "channels_redis", "config", "daphne",
        "django", "django_celery_beat", "django_filters", "django_htmx", "django_tenants",
        "drf_spectacular", "environ", "factory", "gunicorn", "kombu", "manage", "psycopg",
        "pytest", "redis", "rest_framework", "rest_framework_simplejwt", "site", "static",
        "templates", "test", "tests", "typing", "uvicorn", "whitenoise",
    }
)

_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def python_identifier(text: str) -> str:
    """Turn a human project name into a slug the validator accepts.

    "My Shop 2" -> "my_shop_2", "2Fast" -> "project_2fast", "Django" -> "django_project"
    (a bare "django" would shadow the framework), "class" -> "class_project".
    """
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
    if not slug:
        return "project"
    if slug[0].isdigit():
        slug = f"project_{slug}"
    if keyword.iskeyword(slug) or slug in RESERVED_MODULES:
        slug = f"{slug}_project"
    return slug


def is_lowercase_identifier(value: str) -> bool:
    """Lowercase letters, digits and underscores, starting with a letter; not a keyword."""
    value = str(value)
    return bool(re.fullmatch(r"[a-z][a-z0-9_]*", value)) and not keyword.iskeyword(value)


def shadows_module(value: str) -> bool:
    return str(value) in RESERVED_MODULES


def is_email(value: str) -> bool:
    value = str(value)
    return len(value) <= 254 and bool(_EMAIL.match(value))


def is_domain_name(value: str) -> bool:
    """A lowercase DNS name with at least two labels (example.com), or localhost."""
    value = str(value)
    if value == "localhost":
        return True
    labels = value.split(".")
    return (
        len(value) <= 253
        and len(labels) >= 2
        and all(_DOMAIN_LABEL.match(label) for label in labels)
        and not labels[-1].isdigit()
    )


def is_iana_timezone(value: str) -> bool:
    return str(value) in zoneinfo.available_timezones()


class AnswerChecks(Extension):
    """Registers the checks as Jinja tests (`x is iana_timezone`) and the slug filter."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["python_identifier"] = python_identifier
        environment.tests.update(
            {
                "lowercase_identifier": is_lowercase_identifier,
                "reserved_module": shadows_module,
                "email_address": is_email,
                "dns_name": is_domain_name,
                "iana_timezone": is_iana_timezone,
            }
        )
