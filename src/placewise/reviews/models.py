"""Data review sessions: a team looks at its signals together, interprets them in its own words,
agrees actions meant to move a measure, and at a follow-up judges whether the measure moved."""

from django.conf import settings
from django.db import models


class ReviewSession(models.Model):
    # Whose session it is: only people who run review sessions for this organisation list, open
    # or follow it up. Its agenda, what staff said and the actions agreed are the organisation's.
    organisation = models.ForeignKey(
        "sharing.Organisation", on_delete=models.PROTECT, related_name="review_sessions"
    )
    team = models.CharField(max_length=100, help_text="A team, or 'Place' for the whole place.")
    held_on = models.DateField()
    attendees = models.TextField(help_text="Who attended, one per line.")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    follow_up_on = models.DateField(null=True, blank=True)
    # A follow-up session looks back at the actions of the session it follows.
    follows = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.team} data review, {self.held_on:%d %B %Y}"


class AgendaItem(models.Model):
    class Origin(models.TextChoices):
        CONCERN = "concern", "Special cause concern"
        IMPROVEMENT = "improvement", "Special cause improvement"
        SUCCESS = "success", "Consistently meeting its target"
        CHAIR = "chair", "Added by the chair"

    session = models.ForeignKey(ReviewSession, on_delete=models.CASCADE, related_name="items")
    indicator = models.CharField(max_length=100)
    team = models.CharField(max_length=100)
    origin = models.CharField(max_length=12, choices=Origin.choices)
    # The signal as it read when the agenda was made: the series will move on.
    highlight = models.TextField()
    # When the signal's latest stretch of flagged months began, if before the last session (or,
    # for a first session, before the last three months): a standing signal, listed after the
    # new ones so that they do not crowd the agenda.
    standing_since = models.DateField(null=True, blank=True)
    interpretations = models.TextField(
        blank=True, help_text="What staff make of it, in their words."
    )
    reasons = models.TextField(blank=True, help_text="Reasons offered for the trend.")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.indicator} ({self.team})"


class Action(models.Model):
    """The one follow-up engine: whatever agreed it — a review session, a supervision, an
    operational or strategic review, a coaching "Will", a 4C experiment, a co-design proposal —
    an action has an owner, a due date and the measure it should move, and a follow-up asks
    whether the measure moved (a Verdict)."""

    class Direction(models.TextChoices):
        UP = "up", "Up"
        DOWN = "down", "Down"

    class Origin(models.TextChoices):
        REVIEW_SESSION = "review_session", "Data review session"
        SUPERVISION = "supervision", "Supervision"
        REVIEW_MEETING = "review_meeting", "Operational or strategic review"
        COACHING = "coaching", "Coaching"
        EXPERIMENT = "experiment", "4C experiment"
        CO_DESIGN = "co_design", "Co-design proposal"
        INITIATIVE = "initiative", "Initiative or place project"

    class Measure(models.TextChoices):
        # An indicator for a team (`indicator`, `team`): its SPC chart says whether it moved.
        INDICATOR = "indicator", "An indicator"
        # A practice review criterion (`measure_key`) for one practitioner: their grades in the
        # peer reviews after the action say whether it moved.
        CRITERION = "criterion", "A practice review criterion"
        # The person's own reflection on what happened (a 4C experiment, a coaching "Will"):
        # what they say the effect was answers "did it move?" (leadership.evidence).
        REFLECTION = "reflection", "The person's own reflection"

    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.REVIEW_SESSION)
    # Whose action it is: who may list and follow it up (with `practitioner`, below).
    organisation = models.ForeignKey(
        "sharing.Organisation", on_delete=models.PROTECT, related_name="+", null=True
    )
    # Where and when it was agreed, in words: "Supervision, 3 March 2026".
    agreed_at = models.CharField(max_length=200, blank=True)
    agreed_on = models.DateField(null=True)
    # Set only for an action agreed at a data review session.
    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="actions", null=True, blank=True
    )
    description = models.TextField()
    owner = models.CharField(max_length=150)
    due_on = models.DateField()
    measure = models.CharField(max_length=12, choices=Measure.choices, default=Measure.INDICATOR)
    measure_key = models.CharField(max_length=150, blank=True)
    indicator = models.CharField(max_length=100, blank=True)
    team = models.CharField(max_length=100, blank=True)
    direction = models.CharField(max_length=4, choices=Direction.choices)
    # An action about one person's practice (supervision, coaching) is theirs: it is listed for
    # them and whoever the owning app lets see it, never for the whole organisation.
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="practice_actions",
        null=True,
        blank=True,
    )
    # The month the action starts from: the follow-up compares the measure before and after it.
    from_period = models.DateField()
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    # Carried to a later session of the same organisation: that session follows it up too.
    carried_to = models.ForeignKey(
        "ReviewSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_actions",
    )
    closed_on = models.DateField(null=True, blank=True)
    closed_by = models.CharField(max_length=150, blank=True)
    closing_note = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def session(self) -> "ReviewSession | None":
        """The data review session that agreed it, if one did."""
        return self.item.session if self.item is not None else None


class Verdict(models.Model):
    class Outcome(models.TextChoices):
        MOVED = "moved", "Moved as expected"
        NO_CHANGE = "no_change", "No change"
        WRONG_WAY = "wrong_way", "Moved the wrong way"
        TOO_EARLY = "too_early", "Too early to tell"

    class Loop(models.TextChoices):
        SINGLE = "single", "Single loop: do it better"
        DOUBLE = "double", "Double loop: change the plan or the measure"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="verdicts")
    # The data review session that followed the action up, or, for a follow-up elsewhere (the
    # next supervision, the next review meeting), none and `given_at` in words.
    session = models.ForeignKey(
        ReviewSession, on_delete=models.CASCADE, related_name="verdicts", null=True, blank=True
    )
    given_at = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    loop = models.CharField(max_length=6, choices=Loop.choices)
    note = models.TextField(blank=True)
    # What the measure showed when the verdict was given (before/after means, months after).
    evidence = models.JSONField(default=dict)
    decided_by = models.CharField(max_length=150)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "session"], name="one_verdict_a_session")
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.get_outcome_display()}"
