from django.conf import settings
from django.db import migrations, models

# The council's statutory returns' source (sources.readers.spec.COUNCIL_TITLE, as written then).
COUNCIL_TITLE = "Children's social care records"


def council_title(apps, schema_editor):
    """The council's source is the statutory returns' (and its case system's): it gets their
    name. Partners' sources get theirs from their mapping file's title at their next load."""
    Source = apps.get_model("sources", "Source")
    Source.objects.filter(name=settings.PLACEWISE_COUNCIL_SOURCE, title="").update(
        title=COUNCIL_TITLE
    )


class Migration(migrations.Migration):
    dependencies = [("sources", "0003_load_period_and_changes")]

    operations = [
        migrations.AddField(
            model_name="source",
            name="title",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.RunPython(council_title, migrations.RunPython.noop),
    ]
