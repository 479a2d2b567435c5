import factory

from apps.projects.models import Project, Task
from apps.users.tests.factories import UserFactory


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    """A project whose owner is a member, like services.create_project makes.

    `ProjectFactory.create(members=[alice, bob])` adds more members.
    """

    name = factory.Sequence(lambda n: f"Project {n}")
    description = factory.Faker("sentence")
    owner = factory.SubFactory(UserFactory)

    class Meta:
        model = Project
        skip_postgeneration_save = True

    @factory.post_generation
    def members(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create:
            self.members.add(self.owner, *(extracted or []))


class TaskFactory(factory.django.DjangoModelFactory[Task]):
    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    description = factory.Faker("sentence")
    created_by = factory.SelfAttribute("project.owner")

    class Meta:
        model = Task
