from django.db import migrations, models
from django.db.models import F


def removed_when_added(apps, schema_editor):  # type: ignore[no-untyped-def]
    # Before this field an opt-out's removal ran in the transaction that added it: every entry
    # already on the register was removed when it was added, so none is left for recovery.
    apps.get_model("sharing", "OptOut").objects.update(removed_at=F("added_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0006_organisation_kind_icb"),
    ]

    operations = [
        migrations.AddField(
            model_name="optout",
            name="removed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(removed_when_added, migrations.RunPython.noop),
    ]
