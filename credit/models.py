from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import taxonomy


class Output(models.Model):
    """Something the workshop produced: a paper, a dataset, a model, software."""

    class Kind(models.TextChoices):
        PAPER = "paper", _("Paper")
        DATASET = "dataset", _("Dataset")
        MODEL = "model", _("Model")
        SOFTWARE = "software", _("Software")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        IN_PREPARATION = "in_preparation", _("In preparation")
        SUBMITTED = "submitted", _("Submitted")
        PUBLISHED = "published", _("Published")

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PAPER, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=5000, help_text=_("Markdown."))
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("Publication or release date."))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.IN_PREPARATION)
    working_groups = models.ManyToManyField(
        "working_groups.WorkingGroup", related_name="outputs", verbose_name=_("working groups")
    )
    # The period the work was done in: who was a member of the groups then is proposed as a contributor.
    work_started = models.DateField(_("work started"), null=True, blank=True)
    work_ended = models.DateField(_("work ended"), null=True, blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True, help_text=_("Like 10.48550/arXiv.2211.05100."))
    arxiv_id = models.CharField(_("arXiv identifier"), max_length=40, blank=True, help_text=_("Like 2211.05100."))
    repository_url = models.URLField(_("repository"), blank=True)
    page_url = models.URLField(_("model or dataset page"), blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True, help_text=_("For papers: journal or conference."))
    is_public = models.BooleanField(
        _("shown publicly"), default=False, help_text=_("Until then only the groups' chairs and organizers see it.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="outputs_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(work_started__isnull=True)
                | Q(work_ended__isnull=True)
                | Q(work_started__lte=models.F("work_ended")),
                name="output_work_period_in_order",
                violation_error_message=_("The work cannot end before it started."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("credit:output_detail", args=[self.slug])


class Contributor(models.Model):
    """One person's place in an output's contributor list: who, in which roles, through which group."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting the person's confirmation")
        CONFIRMED = "confirmed", _("Confirmed by the person")
        STATED = "stated", _("Stated by the chairs (no account)")

    output = models.ForeignKey(Output, on_delete=models.CASCADE, related_name="contributors")
    position = models.PositiveIntegerField(_("position"))
    # A deleted account leaves its entry (the work was done) as a name alone, in the state it had.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="credits"
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("As it appears in author lists."))
    affiliations = models.JSONField(_("affiliations"), default=list, blank=True)
    roles = models.JSONField(_("CRediT roles"), default=list, blank=True)
    equal_contribution = models.BooleanField(_("equal contribution"), default=False)
    corresponding = models.BooleanField(_("corresponding author"), default=False)
    working_group = models.ForeignKey(
        "working_groups.WorkingGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("contributed through"),
    )
    orcid = models.CharField(_("ORCID iD"), max_length=19, blank=True)
    listed = models.BooleanField(_("listed"), default=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    asked_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["output", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["output", "user"],
                condition=Q(user__isnull=False),
                name="one_contributor_entry_per_person_and_output",
                violation_error_message=_("This person is already a contributor of this output."),
            ),
            models.CheckConstraint(
                condition=~Q(name=""), name="contributor_has_a_name", violation_error_message=_("A name is needed.")
            ),
            models.CheckConstraint(
                condition=Q(orcid="") | Q(orcid__regex=r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$"),
                name="contributor_orcid_well_formed",
            ),
            models.CheckConstraint(
                condition=~Q(state="confirmed") | Q(confirmed_at__isnull=False),
                name="confirmed_contributor_has_a_time",
            ),
        ]
        indexes = [models.Index(fields=["user", "state"])]

    def __str__(self):
        return f"{self.name} · {self.output_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.state == self.State.CONFIRMED

    @property
    def is_unconfirmed(self) -> bool:
        return self.state == self.State.PENDING

    @property
    def role_list(self) -> list[dict]:
        return [
            {"slug": slug, "name": taxonomy.NAMES[slug], "meaning": taxonomy.MEANINGS[slug]}
            for slug in taxonomy.ordered(self.roles)
        ]


class CreditSettings(models.Model):
    """A person's choice to show their list of credits publicly."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credit_settings")
    public = models.BooleanField(_("show my credits publicly"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Credit settings of {self.user_id}"
