"""What a linkage run leaves outside the enclave: its size, the model it learned (weights per
comparison level, which hold no identifiers), the distribution of its scores, and the clerical
review queue of uncertain pairs, which names records only by their pseudonymous tokens."""

from django.db import models


class LinkageRun(models.Model):
    started_at = models.DateTimeField()
    backend = models.CharField(max_length=20)
    threshold = models.FloatField()
    records = models.PositiveIntegerField()
    people = models.PositiveIntegerField()
    seconds = models.FloatField()
    by = models.CharField(max_length=150)
    # [{"comparison": ..., "level": ..., "m": ..., "u": ..., "match_weight": ...}, ...]
    weights = models.JSONField(default=list)
    # [{"weight": lower bound of a 1-wide match-weight bin, "pairs": n}, ...]
    scores = models.JSONField(default=list)
    prior = models.FloatField(help_text="Estimated probability that two random records match.")
    reviewed_pairs_used = models.PositiveIntegerField(default=0)
    # Per pair of sources (report.per_source_pair): records, records linked, pairs scored and
    # linked, and the scored pairs per 1-wide match-weight bin. Counts only, no tokens.
    source_pairs = models.JSONField(default=list)
    # The deterministic rules the prior was estimated from and the recall taken for them.
    prior_basis = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.backend}: {self.records} → {self.people}"


class PairReview(models.Model):
    """An uncertain pair put to a person. A decision holds until someone changes it and is
    applied by every later run: 'same' joins the two records, 'different' cuts their link."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Not yet reviewed"
        SAME = "same", "Same person"
        DIFFERENT = "different", "Different people"

    token_l = models.CharField(max_length=64)
    token_r = models.CharField(max_length=64)
    source_l = models.CharField(max_length=100)
    source_r = models.CharField(max_length=100)
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    # How each comparison came out, e.g. {"date of birth": "day and month swapped"}.
    comparison = models.JSONField(default=dict)
    run = models.ForeignKey(LinkageRun, on_delete=models.SET_NULL, null=True, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token_l", "token_r"], name="one_review_per_pair"),
            models.CheckConstraint(
                condition=models.Q(token_l__lt=models.F("token_r")), name="pair_in_order"
            ),
        ]
        ordering = ["decision", "-match_probability"]

    def __str__(self) -> str:
        return f"{self.source_l}/{self.token_l[:8]} ~ {self.source_r}/{self.token_r[:8]}"
