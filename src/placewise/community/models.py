"""Co-design with the community: engagements, their sessions, who took part (as counts only),
what people said, the themes and proposals drawn from it, and the service's response.

Nothing here names a participant. The one exception, `Contact`, holds what a participant chose to
leave so that the service can tell them what happened; it is kept apart, with the consent they
gave and the date it is deleted (actions.forget_contacts_due, or actions.forget_contact)."""

from django.db import models


class Dimension(models.TextChoices):
    """The groups participants are counted by (never one person's answers)."""

    AGE_BAND = "age_band", "Age band"
    SEX = "sex", "Sex"
    ETHNICITY = "ethnicity", "Ethnic group"
    AREA = "area", "Area"
    DISABILITY = "disability", "Disability"
    CARE_EXPERIENCE = "care_experience", "Care experience"


class PopulationTable(models.Model):
    """The people an engagement means to hear, by group: a table the place loads (ONS-style)."""

    organisation = models.ForeignKey(
        "sharing.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    source = models.CharField(max_length=300, help_text="Where the figures come from.")
    loaded_by = models.CharField(max_length=150)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-loaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class PopulationRow(models.Model):
    table = models.ForeignKey(PopulationTable, on_delete=models.CASCADE, related_name="rows")
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    group = models.CharField(max_length=100)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "dimension", "group"], name="one_population_row_a_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} ({self.get_dimension_display()}): {self.count}"


class Engagement(models.Model):
    """A question the service wants the community's help with."""

    organisation = models.ForeignKey(
        "sharing.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    question = models.TextField()
    # The indicator it should help move, by its key in the indicator library.
    indicator = models.CharField(max_length=100, blank=True)
    population = models.ForeignKey(
        PopulationTable, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The initiative or place project it serves, if any (initiatives app, issue 19).
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="engagements",
    )
    started_on = models.DateField()
    created_by = models.CharField(max_length=150)
    # The public "you said, we did" page exists only once the service publishes it.
    published_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField()
    mode = models.CharField(max_length=10, choices=Mode.choices)
    venue = models.CharField(max_length=200, blank=True)
    groups = models.TextField(help_text="Community groups and organisations involved.")
    facilitators = models.TextField()
    accessibility = models.TextField(blank=True)
    languages = models.TextField(blank=True)
    participants = models.PositiveIntegerField()
    # When it was written down: the public's reach counts a session only in a quarter that had
    # not ended when it was recorded (ADR 0030), so a published figure never changes.
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.engagement}: {self.held_on:%-d %B %Y}"


class Attendance(models.Model):
    """How many of a session's participants were in one group: a count, never a person."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="counts")
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    group = models.CharField(max_length=100)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "dimension", "group"], name="one_count_a_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} ({self.get_dimension_display()}): {self.count}"


class Contact(models.Model):
    """Contact details a participant chose to leave, kept apart from everything they said."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=150)
    how = models.CharField(max_length=200, help_text="An email address or phone number.")
    consent = models.TextField(help_text="What they agreed we may contact them about.")
    delete_on = models.DateField()
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["delete_on", "pk"]

    def __str__(self) -> str:
        return f"Contact details, deleted on {self.delete_on}"


class Theme(models.Model):
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class Voice(models.Model):
    """What one participant said, in their words, with no name."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="voices")
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="voices"
    )
    words = models.TextField()
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="voices"
    )
    recorded_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.words[:60]


class Proposal(models.Model):
    class Response(models.TextChoices):
        PENDING = "pending", "Not yet answered"
        ADOPTED = "adopted", "Adopted"
        ADAPTED = "adapted", "Adapted"
        NOT_TAKEN = "not_taken", "Not taken forward"

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="proposals")
    text = models.TextField()
    response = models.CharField(max_length=10, choices=Response.choices, default=Response.PENDING)
    # Why it was adapted (how) or not taken forward.
    reason = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    # Adopted or adapted: the action in the one follow-up engine, and the indicator it should move.
    action = models.OneToOneField(
        "learning.Action", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:60]
