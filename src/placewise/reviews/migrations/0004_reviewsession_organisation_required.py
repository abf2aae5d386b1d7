"""Every review session now has its organisation (0003): from here on it is required."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0003_reviewsession_organisation_fill"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reviewsession",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="review_sessions",
                to="sharing.organisation",
            ),
        ),
    ]
