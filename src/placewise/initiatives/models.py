"""Initiatives and place projects (issue 19, items 1, 3 and 4): who is on the team, the
stakeholders each team member places on Peter Block's trust and agreement questions, Mark Moore's
strategic triangle with the implementation model, and, for a place project, its indicators and
milestones.

Placements are never overwritten: each is a row, dated, by one team member. The latest of each
member's is where that member stands now; the earlier ones are the history of moves."""

from django.conf import settings
from django.db import models


class Level(models.TextChoices):
    # Block's two questions are answered high, low, or not yet known.
    HIGH = "high", "High"
    LOW = "low", "Low"
    UNKNOWN = "unknown", "Not yet known"


class Initiative(models.Model):
    class Kind(models.TextChoices):
        INITIATIVE = "initiative", "Initiative"
        PROJECT = "project", "Place project"

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INITIATIVE)
    name = models.CharField(max_length=200)
    # A place project takes one defined social issue (seed 002): "food poverty".
    issue = models.CharField(max_length=200, blank=True)
    # The organisation that leads it: the follow-up engine's actions are agreed in its name.
    organisation = models.ForeignKey(
        "sharing.Organisation", on_delete=models.PROTECT, related_name="initiatives"
    )
    partners = models.ManyToManyField("sharing.Organisation", blank=True, related_name="+")
    enabler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enabled_initiatives"
    )
    started_on = models.DateField()
    # Moore's strategic triangle: the public value corner, in the team's words.
    public_value = models.TextField(blank=True)
    # The implementation model (seed 001): systems, workforce, leadership.
    systems = models.TextField(blank=True)
    workforce = models.TextField(blank=True)
    leadership = models.TextField(blank=True)
    progress = models.TextField(blank=True)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("initiatives:initiative", kwargs={"pk": self.pk})


class TeamMember(models.Model):
    """Who works on the initiative: they edit it and place its stakeholders."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="one_membership_a_team")
        ]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.user} on {self.initiative}"


class Stakeholder(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "A person"
        ORGANISATION = "organisation", "An organisation"

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="stakeholders"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    # Linked where the organisation is a partner the software knows; else named in words.
    organisation = models.ForeignKey(
        "sharing.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation_name = models.CharField(max_length=200, blank=True)
    # Part of the authorising environment: who must permit the work (a board, members, a
    # regulator), and what they authorise.
    authorising = models.BooleanField(default=False)
    authorises = models.CharField(max_length=300, blank=True)
    added_on = models.DateField()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation_label(self) -> str:
        return self.organisation.name if self.organisation else self.organisation_name


class Placement(models.Model):
    """One team member's answer, on one date, to Block's two questions about one stakeholder."""

    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="placements"
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    trust = models.CharField(max_length=8, choices=Level.choices)
    agreement = models.CharField(max_length=8, choices=Level.choices)
    placed_on = models.DateField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["placed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.stakeholder} by {self.placed_by}, {self.placed_on}"


class Conversation(models.Model):
    """The next conversation planned with a stakeholder: an action in the follow-up engine."""

    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="conversations"
    )
    action = models.OneToOneField("learning.Action", on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"Conversation with {self.stakeholder}"


class Capacity(models.Model):
    """Operating capacity: what the work depends on, linked to what the software knows."""

    class Kind(models.TextChoices):
        PEOPLE = "people", "People"
        MONEY = "money", "Money"
        DATA = "data", "Data"
        SYSTEMS = "systems", "Systems"

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="capacities")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    description = models.CharField(max_length=300)
    agreement = models.ForeignKey(
        "sharing.Agreement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.ForeignKey(
        "sources.Source", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return self.description


class Measure(models.Model):
    """An indicator the initiative should move, for a team or the place."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="measures")
    indicator = models.CharField(max_length=100)
    team = models.CharField(max_length=100)
    direction = models.CharField(max_length=4, choices=[("up", "Up"), ("down", "Down")])
    # Tied to the public value: the evidence that the value proposition is being delivered.
    public_value = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "indicator", "team"], name="one_measure_a_series"
            )
        ]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.indicator} ({self.team})"


class Milestone(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title
