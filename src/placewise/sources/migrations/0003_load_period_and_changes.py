from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("sources", "0002_source")]

    operations = [
        migrations.AddField(
            model_name="load", name="period_start", field=models.DateField(blank=True, null=True)
        ),
        migrations.AddField(
            model_name="load", name="period_end", field=models.DateField(blank=True, null=True)
        ),
        migrations.AddField(
            model_name="load", name="changes", field=models.JSONField(blank=True, default=dict)
        ),
    ]
