"""The reference data the portal cannot work without, so that `migrate` on an empty database gives a
working portal: the two committees, the four roles (descriptions and time commitments from the source
document), the Organizers auth group, and the site's name and domain (taken from SITE_URL when this runs;
allauth's e-mails say "Hello from <site>" and would otherwise name example.com). The data is frozen here, as of this migration; an operator may
edit the texts later in the admin. Existing rows are left as they are (get_or_create), so a database that
already has them (from the old `load_demo`) keeps its texts.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations

ORGANIZERS_GROUP = "Organizers"

COMMITTEES = [
    ("steering", "Steering Committee", "Gives general scientific and organizational advice to the workshop."),
    (
        "organization",
        "Organization Committee",
        "Designs the collaborative tasks and organizes the workshop's events and public participation. "
        "Given the diversity of tasks, it is split into working groups.",
    ),
]

ROLES = [
    {
        "slug": "advisor",
        "name": "Advisor",
        "committee": "steering",
        "order": 1,
        "needs_working_group": False,
        "reviewed_by": "organizers",
        "time_commitment": "Light: read a newsletter every two weeks, give feedback",
        "summary": "A member of the Steering Committee, giving general scientific and organizational advice.",
        "description": "Advisors are the members of the **Steering Committee**. They give general scientific and "
        "organizational advice to the workshop.\n\nThe commitment is light: read the newsletter that "
        "arrives every two weeks, and give feedback and advice on it.",
    },
    {
        "slug": "participant",
        "name": "Working Group Participant",
        "committee": "organization",
        "order": 2,
        "needs_working_group": True,
        "reviewed_by": "chairs",
        "time_commitment": "Medium: depends on the chosen working group",
        "summary": "A member of the Organization Committee in one of its working groups.",
        "description": "Participants join one of the **working groups** of the Organization Committee: advising, "
        "designing and building a collaborative task (the dataset, the model, the tools), or advising, "
        "designing and organizing the live events.\n\nThe time it takes depends on the task you choose: "
        "each group's page says what it expects.",
    },
    {
        "slug": "chair",
        "name": "Working Group Chair or co-chair",
        "committee": "organization",
        "order": 3,
        "needs_working_group": True,
        "reviewed_by": "organizers",
        "time_commitment": "More significant: also depends on the working group",
        "summary": "Leads a working group: does the minimal work for a bare-bones version of its task, then coordinates.",
        "description": "A chair provides at least the minimal amount of work needed for a very bare-bones version of "
        "the group's task. When other members are active in the group, the chairs mostly coordinate "
        "the effort and organize the decision process.\n\nThe commitment is more significant, and "
        "depends on the working group.",
    },
    {
        "slug": "attendant",
        "name": "Workshop Attendant",
        "committee": None,
        "order": 4,
        "needs_working_group": False,
        "reviewed_by": "nobody",
        "time_commitment": "Free: up to you",
        "summary": "Joins the live events and the public, guided parts of the collaborative tasks.",
        "description": "Attendants join the **live events** and take part in the collaborative tasks in a guided way, "
        "following guidelines set up by the Organization Committee: helping build the dataset, helping "
        "build the tools.\n\nHow much time you give is up to you. The role is granted at once.",
    },
]



def add_reference_data(apps, schema_editor):
    Committee = apps.get_model("roles", "Committee")
    Role = apps.get_model("roles", "Role")
    Group = apps.get_model("auth", "Group")
    committees = {}
    for slug, name, description in COMMITTEES:
        committees[slug], _ = Committee.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
    for spec in ROLES:
        spec = dict(spec)
        committee = committees.get(spec.pop("committee"))
        Role.objects.get_or_create(slug=spec.pop("slug"), defaults={**spec, "committee": committee})
    Group.objects.get_or_create(name=ORGANIZERS_GROUP)
    Site = apps.get_model("sites", "Site")
    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    site = Site.objects.filter(pk=settings.SITE_ID).first()
    if site is None or site.domain == "example.com":  # only Django's placeholder is replaced
        Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": domain, "name": "BigScience workshop"})


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0002_application_invitation_auditentry_and_more"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("sites", "0002_alter_domain_unique"),
    ]
    # Reversing keeps the rows: participations and applications point at the roles (PROTECT).
    operations = [migrations.RunPython(add_reference_data, migrations.RunPython.noop)]
