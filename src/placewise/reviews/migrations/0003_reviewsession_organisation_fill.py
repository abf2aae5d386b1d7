"""The sessions held before sessions had an organisation: each is the chair's organisation's.
A chair who runs review sessions somewhere (a head of service or team manager) held it there;
otherwise it is put under the first organisation they belong to."""

from django.db import migrations

# The roles that could run review sessions when this migration was written (ROLE_PERMISSIONS may
# change later; a migration must keep meaning what it meant).
RAN_REVIEWS = ("head_of_service", "team_manager")


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    ReviewSession = apps.get_model("learning", "ReviewSession")
    Membership = apps.get_model("sharing", "Membership")
    orphans = []
    for session in ReviewSession.objects.filter(organisation__isnull=True).order_by("pk"):
        memberships = Membership.objects.filter(user_id=session.chair_id).order_by("pk")
        found = memberships.filter(role__in=RAN_REVIEWS).first() or memberships.first()
        if found is None:
            orphans.append(f"session {session.pk} (chair id {session.chair_id})")
            continue
        session.organisation_id = found.organisation_id
        session.save(update_fields=["organisation"])
    if orphans:
        # Guessing would hand one organisation's session to another: a person decides.
        raise RuntimeError(
            "These review sessions' chairs belong to no organisation, so whose session each is "
            "cannot be told. Give each chair a membership of the organisation that held the "
            "session, then migrate again: " + "; ".join(orphans)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0002_reviewsession_organisation"),
        ("sharing", "0001_initial"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
