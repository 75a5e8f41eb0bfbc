"""factory-boy factories for every model; tests build their data from these."""

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import Language, Profile, User
from newsletter.models import NewsPost
from roles.models import Committee, Participation, Role
from working_groups.models import WorkingGroup


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "a-long-test-password")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Verified by default: pass verified=False for an unverified account."""
        if create:
            self.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def profile(self, create, extracted, **kwargs):
        if create and extracted is not False:
            ProfileFactory(user=self, **(extracted or {}))


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ["user"]
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, profile=False)
    display_name = factory.Sequence(lambda n: f"Person {n}")
    affiliation = "Example University"
    country = "FR"
    time_zone = "UTC"

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if create:
            codes = extracted if extracted is not None else ["en"]
            self.languages.set(Language.objects.filter(code__in=codes))


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ["slug"]

    slug = "organization"
    name = factory.LazyAttribute(lambda o: f"{o.slug.title()} Committee")
    description = "A committee."


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role
        django_get_or_create = ["slug"]

    slug = Role.PARTICIPANT
    name = factory.LazyAttribute(lambda o: o.slug.title())
    committee = factory.SubFactory(CommitteeFactory)
    summary = "Summary."
    description = "Description."
    time_commitment = "Medium"
    needs_working_group = factory.LazyAttribute(lambda o: o.slug in (Role.PARTICIPANT, Role.CHAIR))
    reviewed_by = factory.LazyAttribute(
        lambda o: {Role.PARTICIPANT: Role.Reviewer.CHAIRS, Role.ATTENDANT: Role.Reviewer.NOBODY}.get(
            o.slug, Role.Reviewer.ORGANIZERS
        )
    )


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    name = factory.Sequence(lambda n: f"Working Group {n}")
    slug = factory.Sequence(lambda n: f"working-group-{n}")
    short_description = "Builds something useful."
    description = "A longer description."
    is_open = True


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    user = factory.SubFactory(UserFactory)
    role = factory.SubFactory(RoleFactory)
    working_group = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role.needs_working_group), factory.SubFactory(WorkingGroupFactory), None
    )
    status = Participation.Status.ACTIVE
    started_at = factory.LazyFunction(timezone.now)


class NewsPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsPost

    title = factory.Sequence(lambda n: f"News {n}")
    slug = factory.Sequence(lambda n: f"news-{n}")
    body = "Something **happened**."
    published_at = factory.LazyFunction(timezone.now)


# newsletter ---------------------------------------------------------------------------------------


class IssueFactory(factory.django.DjangoModelFactory):
    """A sent, members-only issue unless told otherwise."""

    class Meta:
        model = "newsletter.Issue"

    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda o: f"BigScience newsletter #{o.number}")
    status = "sent"
    period_end = factory.LazyFunction(timezone.now)
    scheduled_for = factory.LazyFunction(timezone.now)
    sending_started_at = factory.LazyAttribute(lambda o: o.scheduled_for if o.status in ("sending", "sent") else None)
    sent_at = factory.LazyAttribute(lambda o: o.scheduled_for if o.status == "sent" else None)
    figures = factory.LazyFunction(lambda: {"new_participants": 3, "new_by_role": {}, "open_groups": []})


class IssueItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "newsletter.IssueItem"

    issue = factory.SubFactory(IssueFactory)
    kind = "news"
    title = factory.Sequence(lambda n: f"Item {n}")
    body = "Something **happened**."


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A confirmed subscriber without an account."""

    class Meta:
        model = "newsletter.Subscription"

    email = factory.Sequence(lambda n: f"subscriber{n}@example.org")
    name = factory.Sequence(lambda n: f"Subscriber {n}")
    confirmed_at = factory.LazyFunction(timezone.now)


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "newsletter.Delivery"

    issue = factory.SubFactory(IssueFactory)
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    name = factory.Sequence(lambda n: f"Reader {n}")


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "newsletter.Feedback"

    issue = factory.SubFactory(IssueFactory)
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    name = "A reader"
    body = "Useful, thanks."
