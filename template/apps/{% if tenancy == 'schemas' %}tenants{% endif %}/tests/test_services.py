"""Who may remove whom, and the limits on joining, in services.py (the admin and
create_organization go through them)."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.tenants import services
from apps.tenants.models import Client, Role
from apps.users.models import User
from apps.users.tests.factories import UserFactory

from .factories import MembershipFactory

pytestmark = pytest.mark.django_db


def joined(client: Client, role: str = Role.MEMBER) -> User:
    return MembershipFactory.create(client=client, role=role).user


class TestRemoval:
    def test_anyone_may_leave(self, tenant: Client) -> None:
        joined(tenant, Role.OWNER)
        member = joined(tenant)
        services.remove_member(tenant, actor=member, user=member)
        assert not tenant.memberships.filter(user=member).exists()

    def test_admins_remove_members_and_admins_but_not_owners(self, tenant: Client) -> None:
        owner, admin = joined(tenant, Role.OWNER), joined(tenant, Role.ADMIN)
        joined(tenant, Role.OWNER)
        member, other_admin = joined(tenant), joined(tenant, Role.ADMIN)
        services.remove_member(tenant, actor=admin, user=member)
        services.remove_member(tenant, actor=admin, user=other_admin)
        with pytest.raises(PermissionDenied, match="Only owners"):
            services.remove_member(tenant, actor=admin, user=owner)
        assert tenant.memberships.filter(user=owner).exists()

    def test_members_remove_no_one(self, tenant: Client) -> None:
        member, other = joined(tenant), joined(tenant)
        with pytest.raises(PermissionDenied):
            services.remove_member(tenant, actor=member, user=other)

    def test_owners_remove_owners_but_never_the_last(self, tenant: Client) -> None:
        owner, second = joined(tenant, Role.OWNER), joined(tenant, Role.OWNER)
        services.remove_member(tenant, actor=owner, user=second)
        with pytest.raises(ValidationError, match="at least one owner"):
            services.remove_member(tenant, actor=owner, user=owner)
        superuser = UserFactory.create(is_superuser=True, tenants=[])
        with pytest.raises(ValidationError, match="at least one owner"):
            services.remove_member(tenant, actor=superuser, user=owner)
        assert tenant.memberships.filter(user=owner, role=Role.OWNER).exists()


class TestLimits:
    def test_an_organization_takes_no_more_members_than_its_limit(
        self, tenant: Client, settings: Any
    ) -> None:
        settings.TENANCY_MAX_MEMBERS_PER_ORGANIZATION = tenant.memberships.count() + 1
        services.add_member(tenant, user=UserFactory.create(tenants=[]))
        with pytest.raises(ValidationError) as refused:
            services.add_member(tenant, user=UserFactory.create(tenants=[]))
        assert refused.value.code == "member_limit"

    def test_no_one_joins_more_organizations_than_the_limit(
        self, tenant: Client, other_tenant: Client, settings: Any
    ) -> None:
        settings.TENANCY_MAX_ORGANIZATIONS_PER_USER = 1
        person = UserFactory.create()  # in the test organization already
        with pytest.raises(ValidationError) as refused:
            services.add_member(other_tenant, user=person)
        assert refused.value.code == "organization_limit"
        assert not other_tenant.memberships.filter(user=person).exists()
