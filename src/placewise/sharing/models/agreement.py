from datetime import date

from django.conf import settings
from django.db import models

from placewise.sharing.models.organisation import Organisation


class Agreement(models.Model):
    """A data sharing agreement the software enforces: no agreement in force, no access."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        EXPIRED = "expired", "Expired"

    class Purpose(models.TextChoices):
        SAFEGUARDING = "safeguarding", "Safeguarding children"
        EARLY_HELP = "early_help", "Early help and family support"
        SERVICE_IMPROVEMENT = "service_improvement", "Service planning and improvement"
        PUBLIC_HEALTH = "public_health", "Public health"

    class Article6(models.TextChoices):
        LEGAL_OBLIGATION = "6(1)(c)", "Article 6(1)(c): legal obligation"
        PUBLIC_TASK = "6(1)(e)", "Article 6(1)(e): public task"
        VITAL_INTERESTS = "6(1)(d)", "Article 6(1)(d): vital interests"

    class Article9(models.TextChoices):
        NONE = "", "No special category data"
        HEALTH_SOCIAL_CARE = "9(2)(h)", "Article 9(2)(h): health or social care"
        SUBSTANTIAL_PUBLIC_INTEREST = "9(2)(g)", "Article 9(2)(g): substantial public interest"

    title = models.CharField(max_length=200)
    purpose = models.TextField(help_text="In plain English: why the data is shared.")
    purpose_category = models.CharField(max_length=40, choices=Purpose.choices)
    article6 = models.CharField(max_length=10, choices=Article6.choices)
    article9 = models.CharField(max_length=10, choices=Article9.choices, blank=True)
    statutes = models.CharField(max_length=300, help_text="e.g. Children Act 2004 s10 and s11")
    frequency = models.CharField(max_length=100, default="Monthly")
    retention_days = models.PositiveIntegerField(default=365 * 7)
    review_date = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def retention_label(self) -> str:
        """How long data is kept, as a person would say it."""
        years, days = divmod(self.retention_days, 365)
        if years and not days:
            return f"{years} year{'s' if years != 1 else ''}"
        return f"{self.retention_days} days"

    def in_force(self, today: date) -> bool:
        """Active and not past its end date: access stops by itself the day after it ends."""
        return self.status == self.Status.ACTIVE and (self.ends_on is None or today <= self.ends_on)


class Party(models.Model):
    """An organisation that is party to an agreement, with its named data owner."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    data_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        unique_together = [("agreement", "organisation")]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.agreement}"


class SharedDataset(models.Model):
    """What one party may see of another's source: which kinds of event, which fields, what level."""

    class Level(models.TextChoices):
        PERSON = "person", "Person-level"
        AGGREGATE = "aggregate", "Aggregate only"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="datasets")
    source = models.CharField(max_length=100)
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=20, choices=Level.choices)
    event_kinds = models.JSONField(default=list, help_text="Kinds of event shared; empty = none.")
    fields = models.JSONField(default=list, help_text="Record fields shared, e.g. month_of_birth.")

    def __str__(self) -> str:
        return f"{self.source}: {self.provider} → {self.recipient} ({self.level})"
