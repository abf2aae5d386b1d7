"""Peer review of casework (issue 17): a review framework a service owns, versioned; peer review
sessions in which a practitioner presents one of their cases and peers give feedback against the
framework's criteria; and who supervises whom, since a practitioner's feedback is theirs until
they share it into supervision.

Learning, not grading: a grade is feedback on one piece of practice, never a score of a person.
"""

from django.conf import settings
from django.db import models

# The four grades English children's services audit casework against, best first: a framework's
# scale by default. A service may set its own (Framework.grades).
AUDIT_GRADES = ["Outstanding", "Good", "Requires improvement to be good", "Inadequate"]


def audit_grades() -> list[str]:
    return list(AUDIT_GRADES)


class Framework(models.Model):
    """One version of a service's review framework. Editing makes a new version; reviews keep
    the version they were held under, so a changed criterion never rewrites a past review."""

    organisation = models.ForeignKey(
        "sharing.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=150)
    version = models.PositiveIntegerField(default=1)
    # The version in use for new reviews: one a framework name, the newest.
    is_current = models.BooleanField(default=True)
    # The scale, best first.
    grades = models.JSONField(default=audit_grades)
    what_changed = models.TextField(blank=True)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name", "version"], name="one_framework_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, version {self.version}"


class Criterion(models.Model):
    """A criterion of one framework version. `key` stays the same across versions, so a
    criterion's grades can be followed over time and an action can name it as its measure."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(max_length=80)
    # Service delivery, risk assessment, outcomes for children and families, or a service's own.
    area = models.CharField(max_length=100)
    question = models.TextField()
    what_good_looks_like = models.TextField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["framework", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="one_criterion_a_key")
        ]

    def __str__(self) -> str:
        return self.question[:80]


class PeerReview(models.Model):
    """A peer review session: a practitioner presents one of their cases to a small group drawn
    from other teams, with a facilitator."""

    class Method(models.TextChoices):
        CASE_FILE = "case_file", "Case file review"
        OBSERVATION = "observation", "Observation of practice"
        REFLECTIVE = "reflective", "Reflective discussion"

    organisation = models.ForeignKey(
        "sharing.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    method = models.CharField(max_length=12, choices=Method.choices)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="presented_reviews"
    )
    presenter_team = models.CharField(max_length=100)
    # The case presented: a record of a source, opened through the policy function.
    case_source = models.CharField(max_length=100)
    case_reference = models.CharField(max_length=200)
    # What the group agreed, once feedback is in.
    summary = models.TextField(blank=True)
    agreed_on = models.DateField(null=True, blank=True)
    # The practitioner's feedback is theirs until they share it into supervision.
    shared_on = models.DateField(null=True, blank=True)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Peer review, {self.held_on:%d %B %Y}"


class Peer(models.Model):
    """A member of a review's group (from another team than the presenter's)."""

    review = models.ForeignKey(PeerReview, on_delete=models.CASCADE, related_name="peers")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    team = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "person"], name="one_place_in_a_group")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.team})"


class Feedback(models.Model):
    """One peer's feedback on one criterion: strengths first, then areas for improvement."""

    review = models.ForeignKey(PeerReview, on_delete=models.CASCADE, related_name="feedback")
    peer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="feedback")
    grade = models.CharField(max_length=100)
    strengths = models.TextField()
    improvements = models.TextField(blank=True)
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["criterion__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "peer", "criterion"], name="one_grade_a_peer_a_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion.key}: {self.grade}"


class LearningPoint(models.Model):
    """One of up to three learning points the group agrees."""

    review = models.ForeignKey(PeerReview, on_delete=models.CASCADE, related_name="learning_points")
    text = models.TextField()
    # The criterion it bears on, if one: for themes across reviews.
    criterion_key = models.SlugField(max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Supervision(models.Model):
    """Who supervises whom, from when: the supervisor sees what the supervisee shares into it."""

    organisation = models.ForeignKey(
        "sharing.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervising"
    )
    supervisee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervised_by"
    )
    since = models.DateField()
    until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-since"]

    def __str__(self) -> str:
        return f"{self.supervisor} supervising {self.supervisee}"


class Practitioner(models.Model):
    """Which team a practitioner works in, in their organisation: peers are drawn from other
    teams than the presenter's. `team` is the team's name as the case system writes it in a
    return's "Allocated Team" column, so a case their team holds can be recognised in the data
    (the "Allocated Worker" column is dropped when a file is loaded: names of staff are not
    analytic data, so who holds a case is known only as far as the team)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practitioner"
    )
    organisation = models.ForeignKey(
        "sharing.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    team = models.CharField(max_length=100)
    placed_by = models.CharField(max_length=150)
    placed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["team", "person__username"]

    def __str__(self) -> str:
        return f"{self.person} ({self.team})"


class CaseAccess(models.Model):
    """What the presenter could see of the case when they chose it, per source (the policy's
    answers for them, audited then): no one in the group is shown more of it than this."""

    review = models.ForeignKey(PeerReview, on_delete=models.CASCADE, related_name="case_access")
    source = models.CharField(max_length=100)
    # The kinds of event the presenter may see from this source; null: every kind (their own
    # organisation's data).
    kinds = models.JSONField(null=True, blank=True)
    fields = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "source"], name="one_case_access_a_source")
        ]

    def __str__(self) -> str:
        return f"{self.review}: {self.source}"
