"""Actions agreed before any origin but a data review session existed: their organisation,
where and when they were agreed, taken from the session."""

from django.db import migrations


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Action = apps.get_model("learning", "Action")
    for action in Action.objects.filter(item__isnull=False).select_related("item__session"):
        session = action.item.session
        action.organisation_id = session.organisation_id
        action.agreed_on = session.held_on
        action.agreed_at = f"{session.team} data review, {session.held_on:%d %B %Y}"
        action.save(update_fields=["organisation", "agreed_on", "agreed_at"])


class Migration(migrations.Migration):
    dependencies = [("learning", "0007_action_any_origin")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
