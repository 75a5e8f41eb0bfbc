"""Factories for the guided tasks."""

import factory
from django.utils import timezone

from tasks.models import Claim, Contribution, Task
from tests.factories import UserFactory, WorkingGroupFactory


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task
        skip_postgeneration_save = True

    working_group = factory.SubFactory(WorkingGroupFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    summary = "Find data sources."
    guidelines = "Find **sources**."
    level = Task.Level.FIRST
    unit = Task.Unit.ITEMS
    amount_needed = 100
    work_url = "https://tool.example.org/"
    status = Task.Status.OPEN
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if create and extracted:
            from accounts.models import Language

            self.languages.set(Language.objects.filter(code__in=extracted))


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    task = factory.SubFactory(TaskFactory)
    user = factory.SubFactory(UserFactory)


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    claim = factory.SubFactory(ClaimFactory)
    task = factory.LazyAttribute(lambda o: o.claim.task)
    user = factory.LazyAttribute(lambda o: o.claim.user)
    items = 5
