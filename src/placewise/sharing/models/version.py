"""Counters that say when what a page shows may have changed, so caches are keyed by them."""

from django.db import models


class Version(models.Model):
    """One counter per thing a cache depends on: `data` (what the stores hold and how indicators
    read it) and `access` (agreements and roles, which decide what each person may see)."""

    class Of(models.TextChoices):
        DATA = "data", "Data"
        ACCESS = "access", "Access"

    of = models.CharField(max_length=16, choices=Of.choices, unique=True)
    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)
    reason = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.of} version {self.number}"
