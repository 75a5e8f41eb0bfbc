"""Seed the languages people can say they speak: ISO 639-1 languages, by English name."""

from django.db import migrations


def add_languages(apps, schema_editor):
    from accounts.languages import seed_languages

    seed_languages(apps.get_model("accounts", "Language"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(add_languages, migrations.RunPython.noop)]
