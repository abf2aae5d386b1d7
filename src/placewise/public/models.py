"""What the place publishes to anyone: figures that passed two-person output checking, and its
data strategy. A figure's table is frozen when it is proposed, so what the second person signs
off is exactly what appears."""

from django.conf import settings
from django.db import models


class DataStrategy(models.Model):
    """One version of the place's data strategy; the newest is the one shown."""

    ambition = models.TextField()
    vision = models.TextField()
    purposes = models.TextField(help_text="One purpose a line.")
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    edited_at = models.DateTimeField()

    class Meta:
        ordering = ["-edited_at", "-pk"]

    def __str__(self) -> str:
        return f"Data strategy of {self.edited_at:%Y-%m-%d}"

    @property
    def purpose_list(self) -> list[str]:
        return [line.strip() for line in self.purposes.splitlines() if line.strip()]


class PublishedFigure(models.Model):
    """One indicator's series, for the place or one area, proposed for publication.

    `table` is the series as `sharing.publication` let the public see it at the moment it was
    proposed (months, withheld marks and, when nothing was withheld or rounded, the mean and
    limits). Nobody changes it afterwards: a new revision is a new proposal."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for a second person's sign-off"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    indicator = models.CharField(max_length=100)
    team = models.CharField(max_length=100, help_text="An area's team, or 'Place'.")
    title = models.CharField(max_length=300)
    meaning = models.TextField(help_text="What it means, in plain English.")
    counting = models.TextField(help_text="How it is counted.")
    source = models.TextField(help_text="Where the figures come from.")
    units = models.CharField(max_length=100)
    agreement = models.ForeignKey(
        "sharing.Agreement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    next_update = models.DateField()
    revision = models.PositiveIntegerField(default=1)
    table = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["title", "team", "-revision"]

    def __str__(self) -> str:
        return f"{self.title} ({self.place_or_area}), revision {self.revision}"

    @property
    def place_or_area(self) -> str:
        return "the whole place" if self.team == "Place" else f"area team {self.team}"
