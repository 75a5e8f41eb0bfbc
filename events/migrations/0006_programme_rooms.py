import django.db.models.deletion
from django.db import migrations, models

import events.models


class Migration(migrations.Migration):
    dependencies = [("events", "0005_programme_data")]

    operations = [
        migrations.RemoveField(model_name="session", name="room"),
        migrations.RenameField(model_name="session", old_name="room_ref", new_name="room"),
        migrations.AlterField(
            model_name="session",
            name="room",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="sessions",
                to="events.room",
                verbose_name="room",
            ),
        ),
        migrations.AlterField(
            model_name="session",
            name="code",
            field=models.CharField(default=events.models.new_code, editable=False, max_length=6, unique=True),
        ),
        migrations.AlterField(
            model_name="speaker",
            name="code",
            field=models.CharField(default=events.models.new_code, editable=False, max_length=6, unique=True),
        ),
        migrations.AlterModelOptions(
            name="session", options={"ordering": ["start", "room__order", "room__name", "pk"]}
        ),
    ]
