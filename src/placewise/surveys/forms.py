"""Forms of the leadership surveys. Each refuses bad input with a message a person can act on
(shown in a GOV.UK error summary); the actions check again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from placewise.surveys.actions import MOST_RATER_DAYS
from placewise.surveys.culture import UNCERTAINTY
from placewise.surveys.models import CULTURES, DIMENSIONS, Question, Rater
from placewise.surveys.questionnaires import SCALE

NOT_SEEN = "0"


class RatingForm(forms.Form):
    """The six-dimension statements, each rated 1 to 5 or "not seen"; a comment."""

    def __init__(self, *args: Any, questions: list[Question], comment_label: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.questions = questions
        choices = [(str(v), f"{v} {label}") for v, label in SCALE] + [(NOT_SEEN, "Not seen")]
        for q in questions:
            self.fields[f"q_{q.key}"] = forms.ChoiceField(
                label=q.text,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Rate “{q.text}”, or choose “Not seen”."},
            )
        self.fields["comment"] = forms.CharField(
            label=comment_label,
            widget=forms.Textarea(attrs={"rows": 4}),
            required=False,
            max_length=2000,
        )

    def groups(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        """(dimension, its label, its statements' fields), in the six dimensions' order."""
        return [
            (d, label, [self[f"q_{q.key}"] for q in self.questions if q.dimension == d])
            for d, label in DIMENSIONS
            if any(q.dimension == d for q in self.questions)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if any(f"q_{q.key}" not in cleaned for q in self.questions):
            return cleaned  # each missing rating has its own message
        labels = dict(DIMENSIONS)
        for d, _label, fields in self.groups():
            if all(cleaned[f.name] == NOT_SEEN for f in fields):
                self.add_error(
                    fields[0].name,
                    f"{labels[d]}: rate at least one statement; “Not seen” for all of them "
                    "leaves the dimension with no score.",
                )
        return cleaned

    def answers(self) -> dict[str, int | None]:
        return {
            q.key: None
            if self.cleaned_data[f"q_{q.key}"] == NOT_SEEN
            else int(self.cleaned_data[f"q_{q.key}"])
            for q in self.questions
        }


class InviteForm(forms.Form):
    group = forms.ChoiceField(
        label="Which group is the rater in?",
        choices=Rater.Group.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which group the rater is in."},
    )
    name = forms.CharField(
        label="Their name",
        max_length=150,
        help_text="So you know whom each link is for. Raters' answers are never shown with names.",
        error_messages={"required": "Give the rater's name."},
    )
    organisation_name = forms.CharField(
        label="Their organisation, if it is not yours", max_length=150, required=False
    )
    days = forms.IntegerField(
        label="How many days the link works",
        min_value=1,
        max_value=MOST_RATER_DAYS,
        error_messages={
            "required": "Say how many days the link works.",
            "invalid": "Give the number of days as a whole number, like 21.",
            "min_value": "A link works for at least 1 day.",
            "max_value": f"A link works for at most {MOST_RATER_DAYS} days.",
        },
    )


def _person(username: str) -> User:
    found = (
        get_user_model().objects.filter(username__iexact=username.strip(), is_active=True).first()
    )
    if found is None:
        raise forms.ValidationError(f"No one in this place has the username “{username.strip()}”.")
    return found


class ShareForm(forms.Form):
    username = forms.CharField(
        label="Username of the person to share your report with",
        help_text="For example your coach or your supervisor.",
        max_length=150,
        error_messages={"required": "Give the username of the person to share with."},
    )

    def clean_username(self) -> User:
        return _person(self.cleaned_data["username"])


class ScanForm(forms.Form):
    team = forms.CharField(
        label="The team (or organisation) the scan is of",
        max_length=100,
        error_messages={"required": "Name the team the scan is of."},
    )
    participants = forms.CharField(
        label="Who will answer: their usernames, one a line",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The team's result shows only once at least three have answered.",
        error_messages={"required": "Give the usernames of the people who will answer."},
    )

    def clean_participants(self) -> list[User]:
        lines = [line for line in self.cleaned_data["participants"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError("Give the usernames of the people who will answer.")
        return [_person(line) for line in lines]


class ScanAnswerForm(forms.Form):
    """One statement chosen per question: the one closest to how the team really works."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        order = [c for c, _ in CULTURES]
        for q in questions:
            self.fields[f"q_{q.key}"] = forms.ChoiceField(
                label=q.text,
                choices=[(c, q.options[c]) for c in order if c in q.options],
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose one statement for “{q.text}”"},
            )

    def choices(self) -> dict[str, str]:
        return {q.key: self.cleaned_data[f"q_{q.key}"] for q in self.questions}


class UncertaintyForm(forms.Form):
    uncertainty = forms.ChoiceField(
        label="How uncertain is the work you are planning?",
        choices=UNCERTAINTY,
        widget=forms.RadioSelect,
        required=False,
    )


class QuestionnaireForm(forms.Form):
    """The six-dimension statements, one a line under each dimension."""

    what_changed = forms.CharField(
        label="What changed in this version",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what changed in this version."},
    )

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.existing = {q.text.strip(): q.key for q in questions}
        for d, label in DIMENSIONS:
            self.fields[f"d_{d}"] = forms.CharField(
                label=f"{label}: one statement a line",
                widget=forms.Textarea(attrs={"rows": 4}),
                initial="\n".join(q.text for q in questions if q.dimension == d),
                error_messages={"required": f"{label} needs at least one statement."},
            )

    def drafts(self) -> list[tuple[str, str, str]]:
        """(key, dimension, text): a statement kept word for word keeps its key."""
        return [
            (self.existing.get(line.strip(), ""), d, line.strip())
            for d, _ in DIMENSIONS
            for line in self.cleaned_data[f"d_{d}"].splitlines()
            if line.strip()
        ]
