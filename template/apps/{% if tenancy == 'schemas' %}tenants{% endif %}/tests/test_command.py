"""manage.py create_organization: schema, domain and first admin in one step."""

from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_exists

from apps.tenants.models import Client, Domain, Role
from apps.users.models import User

from .fixtures import OTHER_DOMAIN, TEST_SCHEMA

pytestmark = pytest.mark.django_db


def test_creates_the_schema_domain_and_owner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORGANIZATION_ADMIN_PASSWORD", "a-long-enough-password")
    call_command(
        "create_organization",
        "initech",
        name="Initech",
        domain="Initech.Example.com",
        admin_email="boss@initech.example",
        verbosity=0,
    )
    client = Client.objects.get(schema_name="initech")
    assert schema_exists("initech")
    assert Domain.objects.get(tenant=client).domain == "initech.example.com"
    boss = User.objects.get(email="boss@initech.example")
    assert boss.check_password("a-long-enough-password")
    assert boss.memberships.get(client=client).role == Role.OWNER


ADMIN = {"admin_email": "a@b.example"}


@pytest.mark.parametrize(
    ("args", "options", "message"),
    [
        ((TEST_SCHEMA,), {"domain": "x.example.com", **ADMIN}, "already"),
        (("fresh",), {"domain": OTHER_DOMAIN, **ADMIN}, "already belongs"),
        (("fresh",), {"domain": "fresh.example.com"}, "--admin-email"),
        (("Not A Schema",), {"domain": "bad.example.com", **ADMIN}, "lowercase"),
        ((), {"domain": "x.example.com"}, "Name the schema"),
        (("pg_catalog2",), {"domain": "pg.example.com", **ADMIN}, "Invalid"),
    ],
)
def test_refuses_bad_input_and_creates_nothing(
    args: tuple[str, ...], options: dict[str, str], message: str
) -> None:
    before = Client.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("create_organization", *args, verbosity=0, **options)
    assert Client.objects.count() == before


def test_a_person_at_the_organization_limit_gets_no_new_one(settings: Any, user: User) -> None:
    settings.TENANCY_MAX_ORGANIZATIONS_PER_USER = 1  # `user` is in the test organization
    with pytest.raises(CommandError, match="1 organizations"):
        call_command(
            "create_organization", "capped", domain="capped.example.com", admin_email=user.email
        )
    assert not schema_exists("capped"), "refused before the schema is made"
    assert not Client.objects.filter(schema_name="capped").exists()
