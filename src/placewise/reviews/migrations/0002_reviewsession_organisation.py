"""Review sessions belong to an organisation. Added empty first: the sessions already held are given
their organisation by 0003, and 0004 then makes it required. Three migrations, not one, because
PostgreSQL will not alter a table in the transaction that has just updated its rows under a
deferred foreign key ("pending trigger events")."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0001_initial"),
        ("sharing", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewsession",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="review_sessions",
                to="sharing.organisation",
            ),
        ),
    ]
