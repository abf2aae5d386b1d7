from django.db import models


class OptOut(models.Model):
    """A person who declined sharing, matched by token: their records never leave the organisation
    that holds them. The register holds no identifier, only the keyed token."""

    source = models.CharField(max_length=100)
    token = models.CharField(max_length=64)
    added_by = models.CharField(max_length=150)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("source", "token")]

    def __str__(self) -> str:
        return f"opt-out {self.source}/{self.token[:8]}…"
