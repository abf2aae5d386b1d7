"""Supervision sessions (issue 17, item 4): a supervisor and a supervisee reflect on the
peer-review feedback shared into supervision and agree what the practitioner will try, and by
when. What they will try is an action in the one follow-up engine (learning.Action, origin
supervision, measured by the criterion it should improve)."""

from django.db import models


class SupervisionSession(models.Model):
    supervision = models.ForeignKey(
        "practice.Supervision", on_delete=models.PROTECT, related_name="sessions"
    )
    held_on = models.DateField()
    # The peer reviews whose feedback was discussed (shared by the supervisee).
    reviews = models.ManyToManyField("practice.PeerReview", blank=True, related_name="+")
    reflections = models.TextField()
    # What the practitioner will try: actions in the follow-up engine.
    actions = models.ManyToManyField("learning.Action", blank=True, related_name="+")
    # The follow-ups given at it on earlier sessions' actions: the engine's verdicts, given at
    # this session (`Verdict.given_at` says so in words; this says which session it was).
    follow_ups = models.ManyToManyField("learning.Verdict", blank=True, related_name="+")
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Supervision, {self.held_on.day} {self.held_on:%B %Y}"
