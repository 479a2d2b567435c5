"""The current organization: scoping rules, and how it follows code across threads and awaits."""

import asyncio

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import override_settings

from apps.core.tests.async_support import async_test
from apps.tenants.context import (
    TenantNotSelected,
    activate,
    get_current_tenant,
    require_current_tenant,
    unscoped,
    use_tenant,
)
from apps.tenants.managers import scoped
from apps.tenants.models import Membership, Tenant

from .factories import MembershipFactory, TenantFactory

pytestmark = pytest.mark.django_db


def test_use_tenant_nests_and_restores(tenant: Tenant) -> None:
    other = TenantFactory.create()
    assert get_current_tenant() == tenant
    with use_tenant(other):
        assert get_current_tenant() == other
        with use_tenant(None):
            assert get_current_tenant() is None
            with pytest.raises(TenantNotSelected, match="X-Tenant"):
                require_current_tenant()
        assert get_current_tenant() == other
    assert get_current_tenant() == tenant


def test_the_scope_is_restored_when_the_block_raises(tenant: Tenant) -> None:
    with pytest.raises(ZeroDivisionError), use_tenant(TenantFactory.create()):
        1 / 0  # noqa: B018
    assert get_current_tenant() == tenant


class TestScopedQuerysets:
    """`scoped()` is what every tenant-owned model's `objects` applies."""

    def test_only_the_current_tenants_rows(self, tenant: Tenant) -> None:
        mine = MembershipFactory.create(tenant=tenant)
        theirs = MembershipFactory.create()
        assert list(scoped(Membership.objects.filter(pk__in=[mine.pk, theirs.pk]))) == [mine]
        with use_tenant(theirs.tenant):
            assert list(scoped(Membership.objects.filter(pk__in=[mine.pk, theirs.pk]))) == [theirs]

    def test_no_tenant_is_refused_in_strict_mode(self) -> None:
        with use_tenant(None), pytest.raises(TenantNotSelected, match="Membership rows"):
            scoped(Membership.objects.all())

    @override_settings(TENANCY_STRICT=False)
    def test_no_tenant_is_empty_when_not_strict(self) -> None:
        MembershipFactory.create()
        with use_tenant(None):
            assert not scoped(Membership.objects.all()).exists()

    def test_unscoped_sees_every_tenant_on_purpose(self, tenant: Tenant) -> None:
        rows = [MembershipFactory.create(tenant=tenant), MembershipFactory.create()]
        with unscoped():
            assert get_current_tenant() is None
            assert set(scoped(Membership.objects.all())) >= set(rows)


class TestAcrossThreadsAndAwaits:
    @async_test
    async def test_the_tenant_survives_await_and_sync_to_async(self, tenant: Tenant) -> None:
        await asyncio.sleep(0)
        assert get_current_tenant() == tenant
        assert await sync_to_async(get_current_tenant)() == tenant
        # Tasks start with a copy of the context they were created in.
        assert await asyncio.create_task(_current()) == tenant

    @async_test
    async def test_a_tenant_chosen_in_a_thread_comes_back_to_the_caller(self) -> None:
        other = await sync_to_async(TenantFactory.create)()

        # What IsTenantMember does in an async view's threaded initial(): asgiref copies it back.
        await sync_to_async(activate)(other)
        assert get_current_tenant() == other

    def test_the_tenant_survives_async_to_sync(self, tenant: Tenant) -> None:
        assert async_to_sync(_current)() == tenant

    @async_test
    async def test_concurrent_tasks_each_keep_their_own_tenant(self, tenant: Tenant) -> None:
        other = await sync_to_async(TenantFactory.create)()

        async def run_as(chosen: Tenant) -> list[Tenant | None]:
            seen = []
            with use_tenant(chosen):
                for _ in range(3):
                    await asyncio.sleep(0)  # let the other task run in between
                    seen.append(get_current_tenant())
            return seen

        mine, theirs = await asyncio.gather(run_as(tenant), run_as(other))
        assert mine == [tenant] * 3
        assert theirs == [other] * 3


async def _current() -> Tenant | None:
    return get_current_tenant()
