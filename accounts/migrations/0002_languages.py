"""Seed the languages people can say they speak: ISO 639-1 languages, by English name."""

from django.db import migrations


def add_languages(apps, schema_editor):
    import pycountry

    Language = apps.get_model("accounts", "Language")
    existing = set(Language.objects.values_list("code", flat=True))
    Language.objects.bulk_create(
        [
            Language(code=lang.alpha_2, name=lang.name)
            for lang in pycountry.languages
            if hasattr(lang, "alpha_2") and lang.alpha_2 not in existing
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(add_languages, migrations.RunPython.noop)]
