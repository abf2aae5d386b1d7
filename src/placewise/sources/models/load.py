from django.conf import settings
from django.db import models
from django.urls import reverse

from placewise.sharing.models import Organisation
from placewise.sources.wording import in_words

FORMAT_LABELS = {
    "annex_a": "Annex A",
    "ssda903": "SSDA903",
    "cin_census": "CIN census",
    "partner": "Partner file",
}


class Load(models.Model):
    """One attempt to load one file: what it was, who loaded it, and what came of it."""

    class Status(models.TextChoices):
        STAGING = "staging", "In progress"
        LOADED = "loaded", "Loaded"
        REJECTED = "rejected", "Rejected"
        FAILED = "failed", "Failed"

    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    file_size = models.BigIntegerField()
    format = models.CharField(max_length=30, blank=True)
    detail = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=100, blank=True)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.STAGING)
    message = models.TextField(blank=True)
    rows_read = models.IntegerField(default=0)
    rows_loaded = models.IntegerField(default=0)
    rows_rejected = models.IntegerField(default=0)
    identities = models.IntegerField(default=0)
    events = models.IntegerField(default=0)
    issues_total = models.IntegerField(default=0)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    loaded_by_name = models.CharField(max_length=150)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The days the file's return covers (the 903 year, the census year, the Annex A window, a
    # partner extract's dates): indicators count only months some load covers.
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    # What the load did to what earlier loads of its source said, per table (events, records,
    # identities): added, unchanged, replaced, and replaced_from {load id: rows}. ADR 0016.
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Load {self.pk}: {self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("data:load", kwargs={"pk": self.pk})

    @property
    def replaced(self) -> list[tuple[str, int, int]]:
        """(what, rows, earlier load) for each earlier load whose rows this one replaced (what as
        the page words it: "event" for one, "events" for more)."""
        one = {"events": "event", "records": "record", "identities": "identity"}
        return [
            (what if int(rows) != 1 else one[what], int(rows), int(load))
            for what in one
            for load, rows in (self.changes.get(what, {}).get("replaced_from") or {}).items()
        ]

    @property
    def loaded_by_words(self) -> str:
        return in_words(self.loaded_by_name)

    @property
    def format_label(self) -> str:
        """The format as practitioners name it."""
        return FORMAT_LABELS.get(self.format, self.format or "not recognised")


class LoadIssue(models.Model):
    """A problem found in a load, located by row and column."""

    class Severity(models.TextChoices):
        ERROR = "error", "Error"
        WARNING = "warning", "Warning"
        QUERY = "query", "DfE validation"

    load = models.ForeignKey(Load, on_delete=models.CASCADE, related_name="issues")
    row = models.IntegerField(null=True, blank=True)
    column = models.CharField(max_length=255, blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    rule = models.CharField(max_length=40, blank=True)
    reason = models.TextField()

    class Meta:
        ordering = ["row", "id"]

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}"
