"""Leadership surveys (issue 18, items 2 and 4): the six dimensions of systems-leadership
behaviour, rated by a person themselves and by the raters they invite (a 360 round), and
Schneider's culture scan of a team.

Answers are anonymous by construction: a rater's or a team member's answers are kept in a row
that names no one and carries no time (its key is random, so not even the order of answering
links it to whoever answered); who answered is kept apart, only to know who has.
"""

import uuid

from django.conf import settings
from django.db import models

from placewise.sharing.links import AnsweredLink

DIMENSIONS = [
    ("feeling", "Ways of feeling"),
    ("perceiving", "Ways of perceiving"),
    ("thinking", "Ways of thinking"),
    ("relating", "Ways of relating"),
    ("being", "Ways of being"),
    ("doing", "Ways of doing"),
]
CULTURES = [
    ("control", "Control"),
    ("collaboration", "Collaboration"),
    ("competence", "Competence"),
    ("cultivation", "Cultivation"),
]


class Questionnaire(models.Model):
    """One version of a service's questionnaire. Editing makes a new version; a round or scan
    keeps the version it was answered under, so an edit never changes a past answer."""

    class Kind(models.TextChoices):
        SIX_DIMENSIONS = "six_dimensions", "Six dimensions of systems leadership"
        CULTURE_SCAN = "culture_scan", "Culture scan"

    organisation = models.ForeignKey(
        "sharing.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    what_changed = models.TextField(blank=True)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "version"], name="one_questionnaire_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, version {self.version}"


class Question(models.Model):
    """A statement of one questionnaire version. `key` stays the same across versions.

    Six dimensions: a behaviour rated 1 to 5 under one `dimension`. Culture scan: four
    statements in `options`, one per culture, of which a team member picks the closest."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    key = models.SlugField(max_length=80)
    dimension = models.CharField(max_length=12, choices=DIMENSIONS, blank=True)
    text = models.TextField()
    options = models.JSONField(default=dict, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["questionnaire", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="one_question_a_key")
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Round(models.Model):
    """A person's 360 round: their own ratings and those of the raters they invite. Its report
    shows once the round is closed, so no one can tell one rater's answers from the difference
    between two looks at it."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="feedback_rounds"
    )
    organisation = models.ForeignKey(
        "sharing.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField()
    self_answered_at = models.DateTimeField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return f"360 round started {self.started_on.day} {self.started_on:%B %Y}"

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class Rater(AnsweredLink):
    """Someone invited to rate the person, by a link that expires. A partner's rater needs no
    account. Who answered is kept here; what they answered is not."""

    class Group(models.TextChoices):
        MANAGER = "manager", "Manager"
        PEER = "peer", "Peers"
        REPORT = "report", "Reports"
        PARTNER = "partner", "Partners from other organisations"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="raters")
    group = models.CharField(max_length=10, choices=Group.choices)
    name = models.CharField(max_length=150)
    organisation_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["group", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_group_display()})"


SELF = "self"


class Response(models.Model):
    """One set of answers: the person's own (`group` "self") or one rater's. Names no one,
    carries no time; its key is random."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    group = models.CharField(max_length=10)
    # {question key: 1..5, or None where the rater has not seen it}
    answers = models.JSONField(default=dict)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["group", "id"]

    def __str__(self) -> str:
        return f"answers ({self.group})"


class Share(models.Model):
    """The person shares a closed round's report with someone (a coach, their supervisor)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="shares")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="one_share_a_person")
        ]

    def __str__(self) -> str:
        return f"{self.round} shared with {self.person}"


class Scan(models.Model):
    """A culture scan of one team (or a whole organisation) at one time."""

    organisation = models.ForeignKey(
        "sharing.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    team = models.CharField(max_length=100)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["team", "-started_on", "-pk"]

    def __str__(self) -> str:
        return f"Culture scan of {self.team}, {self.started_on:%B %Y}"


class Participant(models.Model):
    """A team member asked to answer a scan, and whether they have."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answered_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scan", "person"], name="one_place_in_a_scan")
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.scan}"


class ScanAnswer(models.Model):
    """One team member's choices: {question key: culture}. Names no one, carries no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="answers")
    choices = models.JSONField(default=dict)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return "a team member's answers"
