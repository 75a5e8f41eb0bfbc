from django.db import migrations

SKILLS = [
    ("data-sourcing", "Finding and describing data sources"),
    ("annotation", "Annotating"),
    ("prompt-writing", "Writing prompts"),
    ("translation", "Translating"),
    ("tool-testing", "Testing tools"),
    ("programming", "Programming"),
]


def seed(apps, schema_editor):
    Skill = apps.get_model("tasks", "Skill")
    for slug, name in SKILLS:
        Skill.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("tasks", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
