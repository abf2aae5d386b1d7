"""Operational and strategic reviews (issue 17, item 6): recurring meetings of leaders from
different areas of the service that start from children's journeys, record what the journeys
show about operational processes and which strategic goal each finding bears on, and agree
process changes as actions in the one follow-up engine (learning.Action, origin review_meeting,
measured by the indicator each should move)."""

from django.conf import settings
from django.db import models

from placewise.sharing.models import Agreement


class Area(models.TextChoices):
    """The areas of the service whose leaders a review brings together."""

    SOCIAL_CARE = "social_care", "Children's social care"
    EARLY_HELP = "early_help", "Early help"
    HEALTH = "health", "Health"
    POLICE = "police", "Police"
    SCHOOLS = "schools", "Schools"


class Kind(models.TextChoices):
    OPERATIONAL = "operational", "Operational"
    STRATEGIC = "strategic", "Strategic"


class StrategicGoal(models.Model):
    """A goal the service keeps: each finding of a review says which one it bears on."""

    organisation = models.ForeignKey(
        "sharing.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="one_goal_a_title")
        ]

    def __str__(self) -> str:
        return self.title


class ReviewSchedule(models.Model):
    """A recurring review meeting: what it is called, whether it is operational or strategic,
    how often it meets, and who is invited from which areas of the service."""

    class Every(models.TextChoices):
        FORTNIGHT = "fortnight", "Every two weeks"
        MONTH = "month", "Every month"
        QUARTER = "quarter", "Every quarter"

    organisation = models.ForeignKey(
        "sharing.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=150)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    every = models.CharField(max_length=10, choices=Every.choices)
    areas = models.JSONField(default=list, help_text="The areas of the service it brings together.")
    leaders = models.TextField(help_text="The leaders invited, one per line.")
    # People with an account who take part (a partner's lead): they open its meetings, and see
    # each child's journey as their own organisation's agreements allow.
    invited = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def area_labels(self) -> list[str]:
        return [Area(a).label for a in self.areas]


class ReviewMeeting(models.Model):
    schedule = models.ForeignKey(ReviewSchedule, on_delete=models.PROTECT, related_name="meetings")
    organisation = models.ForeignKey(
        "sharing.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    # As it was when held: a schedule that changes kind does not rewrite the balance of the past.
    kind = models.CharField(max_length=12, choices=Kind.choices)
    held_on = models.DateField()
    attendees = models.TextField(help_text="Who attended, one per line.")
    # Why the children's records are opened: every read is the policy function's, for this.
    purpose = models.CharField(max_length=30, choices=Agreement.Purpose.choices)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.schedule.title}, {self.held_on:%d %B %Y}"


class SampleChild(models.Model):
    """One child whose journey the meeting starts from: only where they were drawn from and a
    reference to one of their records (source and case reference), never a copy of a record.
    Each time the meeting is opened, the journey is read again through the policy function."""

    class DrawnFrom(models.TextChoices):
        INDICATOR = "indicator", "An indicator's children behind a month"
        COHORT = "cohort", "A cohort journey"
        REFERRAL = "referral", "A partner's referral"

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="sample")
    drawn_from = models.CharField(max_length=10, choices=DrawnFrom.choices)
    # In words: "Re-referrals within 12 months, the place, March 2026".
    drawn_as = models.CharField(max_length=250)
    source = models.CharField(max_length=100)
    reference = models.CharField(max_length=100)
    added_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "source", "reference"], name="a_child_once_a_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"Child {self.pk} of {self.meeting}"


class Finding(models.Model):
    """What the journeys show about an operational process, and the strategic goal it bears on."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="findings")
    process = models.CharField(max_length=150, help_text="The operational process.")
    shows = models.TextField(help_text="What the children's journeys show about it.")
    goal = models.ForeignKey(StrategicGoal, on_delete=models.PROTECT, related_name="findings")
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.process


class AgreedChange(models.Model):
    """A process change agreed for a finding: the action itself is the follow-up engine's."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="changes")
    action = models.OneToOneField(
        "learning.Action", on_delete=models.PROTECT, related_name="service_review_change"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.finding}: {self.action}"
