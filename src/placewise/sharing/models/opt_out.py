from django.db import models


class OptOut(models.Model):
    """A person who declined sharing, matched by token: their records never leave the organisation
    that holds them. The register holds no identifier, only the keyed token."""

    source = models.CharField(max_length=100)
    token = models.CharField(max_length=64)
    added_by = models.CharField(max_length=150)
    added_at = models.DateTimeField(auto_now_add=True)
    # When the stores last had the record taken out. Empty from the register entry's commit (the
    # opt-out's commit point) until the removal's: a process that died between them left it for
    # recovery to finish (sharing/opt_outs.py, docs/adr/0028).
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        unique_together = [("source", "token")]

    def __str__(self) -> str:
        return f"opt-out {self.source}/{self.token[:8]}…"
