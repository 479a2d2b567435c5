"""Renaming an organization and changing roles: who may, and the last-owner rule."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.tenants import services
from apps.tenants.models import Role, Tenant
from apps.users.models import User
from apps.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def member(tenant: Tenant, role: str) -> User:
    user = UserFactory.create(tenants=[])
    tenant.memberships.create(user=user, role=role)
    return user


def role_of(tenant: Tenant, user: User) -> str:
    return tenant.memberships.get(user=user).role


def test_owners_and_admins_rename_members_cannot(tenant: Tenant) -> None:
    services.rename_tenant(tenant, actor=member(tenant, Role.ADMIN), name="Acme")
    tenant.refresh_from_db()
    assert tenant.name == "Acme"
    with pytest.raises(PermissionDenied):
        services.rename_tenant(tenant, actor=member(tenant, Role.MEMBER), name="Mine")
    with pytest.raises(ValidationError):
        services.rename_tenant(tenant, actor=member(tenant, Role.OWNER), name="")


def test_admins_change_roles_below_owner(tenant: Tenant) -> None:
    admin, someone = member(tenant, Role.ADMIN), member(tenant, Role.MEMBER)
    services.change_role(tenant, actor=admin, user=someone, role=Role.ADMIN)
    assert role_of(tenant, someone) == Role.ADMIN
    with pytest.raises(PermissionDenied):
        services.change_role(tenant, actor=admin, user=someone, role=Role.OWNER)
    owner = member(tenant, Role.OWNER)
    with pytest.raises(PermissionDenied):
        services.change_role(tenant, actor=admin, user=owner, role=Role.MEMBER)
    assert role_of(tenant, owner) == Role.OWNER


def test_members_change_no_role(tenant: Tenant) -> None:
    actor, someone = member(tenant, Role.MEMBER), member(tenant, Role.MEMBER)
    with pytest.raises(PermissionDenied):
        services.change_role(tenant, actor=actor, user=someone, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.change_role(tenant, actor=actor, user=actor, role=Role.ADMIN)


def test_owners_make_owners_and_the_last_one_stays(tenant: Tenant) -> None:
    owner, someone = member(tenant, Role.OWNER), member(tenant, Role.MEMBER)
    with pytest.raises(ValidationError, match="at least one owner"):
        services.change_role(tenant, actor=owner, user=owner, role=Role.ADMIN)
    services.change_role(tenant, actor=owner, user=someone, role=Role.OWNER)
    services.change_role(tenant, actor=owner, user=owner, role=Role.ADMIN)
    assert (role_of(tenant, owner), role_of(tenant, someone)) == (Role.ADMIN, Role.OWNER)


def test_roles_are_changed_for_members_only(tenant: Tenant) -> None:
    owner, outsider = member(tenant, Role.OWNER), UserFactory.create(tenants=[])
    with pytest.raises(ValidationError, match="not a member"):
        services.change_role(tenant, actor=owner, user=outsider, role=Role.ADMIN)
    with pytest.raises(ValidationError, match="Unknown role"):
        services.change_role(tenant, actor=owner, user=owner, role="emperor")
