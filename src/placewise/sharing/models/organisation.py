from django.conf import settings
from django.db import models

from placewise.sharing.permissions import Role


class Organisation(models.Model):
    """A partner in the place: a council service, NHS trust or ICB, police force, school, VRU or group."""

    class Kind(models.TextChoices):
        COUNCIL_CHILDRENS_SERVICES = "council_childrens_services", "Council children's services"
        NHS = "nhs", "NHS trust"
        INTEGRATED_CARE_BOARD = "icb", "Integrated care board"
        POLICE = "police", "Police force"
        SCHOOL = "school", "School or academy trust"
        VIOLENCE_REDUCTION_UNIT = "vru", "Violence reduction unit"
        VOLUNTARY = "voluntary", "Voluntary or community group"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in an organisation. One person may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=40, choices=[(r.value, r.label) for r in Role])

    class Meta:
        unique_together = [("user", "organisation", "role")]

    def __str__(self) -> str:
        return f"{self.user} – {self.role} at {self.organisation}"
