from datetime import datetime, time

from django.db import migrations, models
from django.utils import timezone


def on_the_day(apps, schema_editor):
    """Sessions recorded before this field existed: taken as recorded on the day they were held
    (the record does not say otherwise), so the public's reach still counts them."""
    Session = apps.get_model("community", "Session")
    for session in Session.objects.all():
        session.recorded_at = timezone.make_aware(datetime.combine(session.held_on, time(17)))
        session.save(update_fields=["recorded_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0002_engagement_initiative"),
    ]

    operations = [
        migrations.AddField(
            model_name="session",
            name="recorded_at",
            field=models.DateTimeField(auto_now_add=True, default=timezone.now),
            preserve_default=False,
        ),
        migrations.RunPython(on_the_day, migrations.RunPython.noop),
    ]
