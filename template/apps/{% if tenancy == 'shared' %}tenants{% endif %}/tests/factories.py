import factory

from apps.tenants.models import Membership, Role, Tenant


class TenantFactory(factory.django.DjangoModelFactory[Tenant]):
    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")

    class Meta:
        model = Tenant


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    tenant = factory.SubFactory(TenantFactory)
    user = factory.SubFactory("apps.users.tests.factories.UserFactory", tenants=[])
    role = Role.MEMBER

    class Meta:
        model = Membership
