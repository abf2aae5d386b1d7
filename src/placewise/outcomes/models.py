"""What people decide about indicators: step changes to re-base limits at, and double-loop
changes to the library (retire an indicator, or redefine it), each with its reason kept."""

from django.db import models


class StepChange(models.Model):
    """A known change in the process (a new way of working, a restructure) from a month on:
    the SPC limits are re-based there."""

    indicator = models.CharField(max_length=100)
    team = models.CharField(max_length=100, help_text="A team, or 'Place'.")
    period = models.DateField(help_text="First month of the new process.")
    reason = models.TextField()
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "team", "period"], name="one_step_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.team} from {self.period:%Y-%m}"


class IndicatorChange(models.Model):
    class Change(models.TextChoices):
        RETIRE = "retire", "Retire the indicator"
        REDEFINE = "redefine", "Redefine the indicator"

    indicator = models.CharField(max_length=100)
    change = models.CharField(max_length=10, choices=Change.choices)
    # For a redefinition: the settings that change, e.g. {"days": 40, "target": 0.9}.
    settings = models.JSONField(default=dict, blank=True)
    reason = models.TextField()
    made_by = models.CharField(max_length=150)
    made_at = models.DateTimeField(auto_now_add=True)
    # The verdict that led to it, when it came from a review session.
    verdict = models.ForeignKey(
        "learning.Verdict", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.get_change_display()}: {self.indicator}"
