"""The append-only, hash-chained audit log.

Each entry carries the hash of the one before, keyed with the place's audit key (held in its
secrets, not here: see sharing/audit.py); the head row holds the latest sequence number and hash,
so deleting the newest entries is detected as well as editing, inserting or reordering. Anchors,
which catch a log cut back to an earlier entry, are files kept outside this database.
"""

from typing import Any, NoReturn

from django.db import models


class AuditEntry(models.Model):
    # sharing/audit.py reads these lengths and cuts actor, action and target to them before
    # hashing, so what is hashed is exactly what is stored.
    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=60)
    target = models.CharField(max_length=300, blank=True)
    allowed = models.BooleanField(null=True)
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.seq} {self.actor} {self.action} {self.target}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError("audit entries cannot be deleted")


class AuditHead(models.Model):
    """One row: the newest entry's sequence and hash. Locked while an entry is appended."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head {self.seq}"
