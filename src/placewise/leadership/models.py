"""Leadership development (issue 18, items 1, 3 and 5): a person's 4C action plan with its
experiments, GROW coaching conversations, and whom the person shares their leadership data with.

Everything here is the person's own. What they will try (an experiment, a coaching "Will") is an
action in the one follow-up engine (learning.Action, measured by their own reflection). Plans keep
their history: what someone writes about a capability is appended, never overwritten."""

from django.conf import settings
from django.db import models


class Level(models.TextChoices):
    # The four pathways of the 4C leadership capability framework (DfE / Frontline, 2025).
    PRACTICE_SUPERVISOR = "practice_supervisor", "Practice supervisor"
    MIDDLE_MANAGER = "middle_manager", "Middle manager"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    PRACTICE_LEADER = "practice_leader", "Practice leader"


class Capability(models.TextChoices):
    CURIOSITY = "curiosity", "Maintaining curiosity"
    CLARITY = "clarity", "Providing clarity"
    COMPLEXITY = "complexity", "Managing complexity"
    CAPACITY = "capacity", "Expanding capacity"


class Scope(models.TextChoices):
    SELF = "self", "Yourself"
    TEAM = "team", "Your team or service"
    SYSTEM = "system", "The wider system"


class Plan(models.Model):
    """One person's 4C action plan."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="leadership_plan"
    )
    # Where the plan's experiments are agreed: the follow-up engine's actions belong to one.
    organisation = models.ForeignKey(
        "sharing.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(max_length=20, choices=Level.choices)
    started_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"4C action plan of {self.person.get_full_name() or self.person.get_username()}"


class Entry(models.Model):
    """What the person wrote, appended: where they stand on a capability, why it matters to them,
    or the level they changed to. The latest of a kind is the plan's; the rest is its history."""

    class Kind(models.TextChoices):
        STAND = "stand", "Where I stand now"
        WHY = "why", "Why it matters for me"
        LEVEL = "level", "Level"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="entries")
    capability = models.CharField(max_length=12, choices=Capability.choices, blank=True)
    kind = models.CharField(max_length=6, choices=Kind.choices)
    text = models.TextField()
    written_on = models.DateField()
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.written_on:%Y-%m-%d}"


class Experiment(models.Model):
    """Something the person will try, for themselves, their team or service, or the wider
    system: an action in the follow-up engine that reaches its review date."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="experiments")
    capability = models.CharField(max_length=12, choices=Capability.choices)
    scope = models.CharField(max_length=6, choices=Scope.choices)
    # A starting point from leadership.starter, or "" for the person's own idea.
    activity = models.CharField(max_length=40, blank=True)
    what = models.TextField()
    when_where = models.TextField()
    starts_on = models.DateField()
    review_on = models.DateField()
    action = models.OneToOneField(
        "learning.Action", on_delete=models.PROTECT, related_name="experiment"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return self.what[:60]


class Reflection(models.Model):
    """What happened and what the person learned, on an experiment or a coaching Will: appended
    over time. Its `effect` is the evidence the follow-up engine reads (leadership.evidence)."""

    class Effect(models.TextChoices):
        AS_HOPED = "as hoped", "It made the difference I hoped for"
        NO_CHANGE = "no change", "It made no difference I could see"
        WRONG_WAY = "the wrong way", "It made things worse"
        CANT_TELL = "", "Too soon to say"

    action = models.ForeignKey("learning.Action", on_delete=models.CASCADE, related_name="+")
    written_on = models.DateField()
    what_happened = models.TextField()
    learned = models.TextField(blank=True)
    effect = models.CharField(max_length=14, choices=Effect.choices, blank=True)
    written_by = models.CharField(max_length=150)
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_on", "pk"]

    def __str__(self) -> str:
        return f"Reflection, {self.written_on:%Y-%m-%d}"


class Share(models.Model):
    """The person lets someone else (their coach, their supervisor) read their plan."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "viewer"], name="leadership_one_share")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} shares with {self.viewer_id}"


class Coaching(models.Model):
    """A coach and a coachee. Their conversations are private to the two of them."""

    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    coachee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The coachee's organisation: their Will commitments are its follow-up engine's actions.
    organisation = models.ForeignKey(
        "sharing.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    since = models.DateField()
    until = models.DateField(null=True, blank=True)
    started_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-since", "-pk"]

    def __str__(self) -> str:
        return f"Coaching of {_name(self.coachee)} by {_name(self.coach)}"


class Conversation(models.Model):
    """A GROW conversation: Goal, Reality, Options, Will, entered at any stage and in any order.
    Recorded together, or by either of the two with the other's consent."""

    class Recorded(models.TextChoices):
        TOGETHER = "together", "Together, both of us"
        CONSENTED = "consented", "By me, with the other person's consent"

    coaching = models.ForeignKey(Coaching, on_delete=models.PROTECT, related_name="conversations")
    held_on = models.DateField()
    goal = models.TextField(blank=True)
    reality = models.TextField(blank=True)
    options = models.TextField(blank=True)
    recorded = models.CharField(max_length=10, choices=Recorded.choices)
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Will: the commitments, each an action in the follow-up engine.
    commitments = models.ManyToManyField("learning.Action", blank=True, related_name="+")
    # The follow-ups given at it on earlier conversations' commitments.
    follow_ups = models.ManyToManyField("learning.Verdict", blank=True, related_name="+")

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Coaching conversation, {self.held_on.day} {self.held_on:%B %Y}"


def _name(user: object) -> str:
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or getattr(user, "username", ""))
