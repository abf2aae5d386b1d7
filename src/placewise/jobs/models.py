"""A job: one piece of long work a person started, what it is doing, and how it ended."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from placewise.sources.wording import in_words


class Job(models.Model):
    class Kind(models.TextChoices):
        INGEST = "ingest", "Load a file"
        LINKAGE = "linkage", "Link records into people"
        REFRESH = "refresh", "Work out the indicators"
        RETENTION = "retention", "Delete data past its retention"
        PACK = "pack", "Make a review session's pack"
        EXPORT = "export", "Export the indicators"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    FINISHED = (Status.DONE, Status.FAILED, Status.CANCELLED)

    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    # What it is doing now, in words a person reads ("Reading and checking rows").
    stage = models.CharField(max_length=100, default="Waiting for the worker")
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)  # None: not known yet
    # What the job was given: the file's name as uploaded, and options (dry run, skip bad rows).
    file_name = models.CharField(max_length=255, blank=True)
    options = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)  # what happened, for a person
    ok = models.BooleanField(null=True)  # the work's own verdict (a rejected file is not ok)
    # A dry run's findings (a load keeps its own): reason, row, column, severity, at most 200.
    findings = models.JSONField(default=list, blank=True)
    load = models.ForeignKey(
        "sources.Load", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linkage_run = models.ForeignKey(
        "linkage.LinkageRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    started_by_name = models.CharField(max_length=150)
    retry_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)
    cancel_requested = models.BooleanField(default=False)
    # Which process runs it, to tell a worker that died from one still at work.
    worker_host = models.CharField(max_length=255, blank=True)
    worker_pid = models.PositiveIntegerField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)  # the Django Tasks result's id
    # A file the job made for its starter (a pack, an export), kept in its folder to download.
    download = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"job {self.pk}: {self.get_kind_display()} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("jobs:job", kwargs={"pk": self.pk})

    @property
    def started_by_words(self) -> str:
        return in_words(self.started_by_name)

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED
