"""Factories for the credit app, and a fast way to give an output hundreds of contributors."""

import datetime

import factory

from accounts.models import User
from credit.models import Contributor, Output
from tests.factories import UserFactory, WorkingGroupFactory


class OutputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Output
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"output-{n}")
    kind = Output.Kind.PAPER
    title = factory.Sequence(lambda n: f"Output number {n}")
    date = datetime.date(2022, 5, 27)
    status = Output.Status.PUBLISHED
    is_public = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            self.working_groups.set(extracted if extracted is not None else [WorkingGroupFactory()])


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contributor

    output = factory.SubFactory(OutputFactory)
    position = factory.Sequence(lambda n: n + 1)
    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Contributor {n}")
    affiliations = factory.LazyFunction(lambda: ["Example University"])
    roles = factory.LazyFunction(lambda: ["software"])
    state = Contributor.State.PENDING


def many_contributors(output: Output, count: int) -> list[Contributor]:
    """``count`` contributors in bulk: every third a name alone, the rest accounts, some confirmed."""
    group = output.working_groups.first()
    start = User.objects.count()
    users = User.objects.bulk_create([User(email=f"bulk{start + i}@example.org", password="!") for i in range(count)])
    entries = []
    for i, user in enumerate(users):
        has_account = i % 3 != 0
        confirmed = has_account and i % 2 == 0
        entries.append(
            Contributor(
                output=output,
                position=i + 1,
                user=user if has_account else None,
                name=f"Persön {i}, Jr." if i % 7 == 0 else f"Persön {i}",
                affiliations=[f"Lab {i % 40}", "Université de Montréal"] if i % 2 else [f"Lab {i % 40}"],
                roles=["software", "writing_review_editing"] if i % 2 else ["data_curation"],
                working_group=group,
                equal_contribution=i < 3,
                corresponding=i == 0,
                orcid="0000-0002-1825-0097" if confirmed else "",
                state=(
                    Contributor.State.CONFIRMED
                    if confirmed
                    else Contributor.State.PENDING
                    if has_account
                    else Contributor.State.STATED
                ),
                confirmed_at=datetime.datetime(2022, 6, 1, tzinfo=datetime.UTC) if confirmed else None,
            )
        )
    return Contributor.objects.bulk_create(entries)
