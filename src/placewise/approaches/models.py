"""The approaches library and the place survey (issue 19, items 5 and 6).

An approach is found by the question a leader faces; every edit keeps the version before it
(`Revision`). The place survey's answers are anonymous by construction, as the leadership
surveys' are: an answer names no one and carries no time (its key is random); who has answered
a round is kept apart (`Respondent`), only so that no one answers twice.
"""

import uuid

from django.conf import settings
from django.db import models

from placewise.sharing.links import AnsweredLink


class Question(models.Model):
    """A question a leader faces, by which approaches are found."""

    text = models.CharField(max_length=200, unique=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "text"]

    def __str__(self) -> str:
        return self.text


class Approach(models.Model):
    """One approach, written in our own words with its sources. `url_name` is where it is done
    in placewise, if it is."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=150)
    originator = models.CharField(max_length=200)
    helps_understand = models.TextField()
    key_elements = models.TextField(help_text="One element a line.")
    when_to_use = models.TextField()
    further_reading = models.TextField(blank=True, help_text="One source a line.")
    url_name = models.CharField(max_length=80, blank=True)
    questions = models.ManyToManyField(Question, related_name="approaches", blank=True)
    connected = models.ManyToManyField("self", blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.CharField(max_length=150)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("approaches:approach", kwargs={"key": self.slug})

    @property
    def elements(self) -> list[str]:
        return [line.strip() for line in self.key_elements.splitlines() if line.strip()]

    @property
    def reading(self) -> list[str]:
        return [line.strip() for line in self.further_reading.splitlines() if line.strip()]


class Revision(models.Model):
    """An approach as it stood before an edit (or as first written): its fields, who, when."""

    approach = models.ForeignKey(Approach, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    fields = models.JSONField()
    by = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)
    what_changed = models.TextField(blank=True)

    class Meta:
        ordering = ["approach", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["approach", "version"], name="one_approach_version")
        ]

    def __str__(self) -> str:
        return f"{self.approach} version {self.version}"


class Use(models.Model):
    """A place or project that used an approach, and what it learned."""

    approach = models.ForeignKey(Approach, on_delete=models.CASCADE, related_name="uses")
    where = models.CharField(max_length=200)
    used_on = models.DateField()
    learned = models.TextField()
    recorded_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["approach", "-used_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.approach} at {self.where}"


class SurveyRound(models.Model):
    """One round of the place survey, asked of the place's partners."""

    title = models.CharField(max_length=150)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    opened_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["opened_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class Invitation(AnsweredLink):
    """A partner asked to answer by a link that expires; no account needed. Only the secret's
    hash is kept (sharing.links, as for surveys.Rater)."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="invitations")
    organisation_name = models.CharField(max_length=150)

    class Meta:
        ordering = ["round", "organisation_name", "pk"]

    def __str__(self) -> str:
        return f"link for {self.organisation_name}"


class Respondent(models.Model):
    """A signed-in partner who has answered a round (what they answered is not kept here)."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="respondents")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="one_place_survey_answer")
        ]

    def __str__(self) -> str:
        return f"{self.person} answered {self.round}"


class Answer(models.Model):
    """One partner's answers: ratings 1 to 5 and free text. Names no one, carries no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="answers")
    ratings = models.JSONField(default=dict)  # {rating key: 1..5}
    texts = models.JSONField(default=dict)  # {text key: what they wrote}

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return "a partner's answers"


class Theme(models.Model):
    """A theme a facilitator groups a round's quotes under."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["round", "name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="one_theme_name_a_round")
        ]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """One quote (an answer's text to one question) put under a theme."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="tags")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="tags")
    text_key = models.CharField(max_length=30)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["theme", "answer", "text_key"], name="one_tag_a_quote_a_theme"
            )
        ]

    def __str__(self) -> str:
        return f"{self.text_key} under {self.theme}"
