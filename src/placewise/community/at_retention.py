"""A co-design participant's contact details go on their deletion date, with the rest of
retention (jobs/at_retention.py, registered in apps.py)."""

from datetime import date

from django.contrib.auth.models import User

from placewise.community.actions import forget_contacts_due


def forget_contacts(today: date, by: User) -> str:
    count = forget_contacts_due(today=today, by=by)
    if not count:
        return ""
    return (
        f"the contact details of {count:,} co-design participant{'s' if count != 1 else ''} deleted"
    )
