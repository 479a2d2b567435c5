import factory

from apps.tenants.models import Client, Membership, Role


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    client = factory.LazyFunction(lambda: Client.objects.get(schema_name="test"))
    user = factory.SubFactory("apps.users.tests.factories.UserFactory", tenants=[])
    role = Role.MEMBER

    class Meta:
        model = Membership
