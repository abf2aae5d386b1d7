"""Forms of the approaches library and the place survey. Each refuses bad input with a message a
person can act on (shown in a GOV.UK error summary); the actions check again."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.urls import NoReverseMatch, reverse

from placewise.approaches import questionnaire
from placewise.approaches.actions import MOST_LINK_DAYS
from placewise.approaches.models import Approach, Question
from placewise.web.dates import DateField


class ApproachForm(forms.Form):
    """An approach, new or edited."""

    name = forms.CharField(
        label="Name", max_length=150, error_messages={"required": "Enter the approach's name."}
    )
    originator = forms.CharField(
        label="Who originated it",
        max_length=200,
        help_text="A person or body, with the work it comes from.",
        error_messages={"required": "Enter who originated the approach."},
    )
    helps_understand = forms.CharField(
        label="What it helps you understand",
        widget=forms.Textarea,
        error_messages={"required": "Enter what the approach helps you understand."},
    )
    key_elements = forms.CharField(
        label="Key elements",
        widget=forms.Textarea,
        help_text="One element a line.",
        error_messages={"required": "Enter the approach's key elements, one a line."},
    )
    when_to_use = forms.CharField(
        label="When to use it",
        widget=forms.Textarea,
        error_messages={"required": "Enter when to use the approach."},
    )
    further_reading = forms.CharField(
        label="Further reading and sources",
        widget=forms.Textarea,
        required=False,
        help_text="One source a line.",
    )
    url_name = forms.CharField(
        label="Where it is done in placewise",
        required=False,
        max_length=80,
        help_text="The page's name, such as reviews:reviews; leave empty if it is not done here.",
    )
    questions = forms.MultipleChoiceField(
        label="Questions it helps answer",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    new_question = forms.CharField(
        label="Another question it helps answer",
        required=False,
        max_length=200,
        help_text="For example, How do we keep partners at the table?",
    )
    connected = forms.MultipleChoiceField(
        label="Connected approaches", widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, editing: Approach | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["questions"]).choices = [
            (q.text, q.text) for q in Question.objects.all()
        ]
        others = Approach.objects.all()
        if editing is not None:
            others = others.exclude(pk=editing.pk)
            self.fields["what_changed"] = forms.CharField(
                label="What you changed",
                widget=forms.Textarea,
                error_messages={"required": "Say what you changed."},
            )
        cast(forms.MultipleChoiceField, self.fields["connected"]).choices = [
            (a.slug, a.name) for a in others
        ]

    def clean_url_name(self) -> str:
        value = str(self.cleaned_data.get("url_name", "")).strip()
        if value:
            try:
                reverse(value)
            except NoReverseMatch:
                raise forms.ValidationError(
                    f"placewise has no page named “{value}”: check the name, or leave it empty."
                ) from None
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = list(cleaned.get("questions") or [])
        extra = str(cleaned.get("new_question") or "").strip()
        if extra:
            chosen.append(extra)
        if not chosen:
            self.add_error(
                "questions", "Choose at least one question the approach helps answer, or add one."
            )
        cleaned["all_questions"] = tuple(dict.fromkeys(chosen))
        return cleaned


class UseForm(forms.Form):
    where = forms.CharField(
        label="Place or project",
        max_length=200,
        error_messages={"required": "Enter the place or project that used the approach."},
    )
    used_on = DateField(label="When", help_text="For example, 1 9 2026")
    learned = forms.CharField(
        label="What they learned",
        widget=forms.Textarea,
        error_messages={"required": "Enter what they learned."},
    )


class RoundForm(forms.Form):
    title = forms.CharField(
        label="Title of the round",
        max_length=150,
        help_text="For example, Spring 2026",
        error_messages={"required": "Enter a title for the round."},
    )


class LinkForm(forms.Form):
    organisation_name = forms.CharField(
        label="Partner organisation",
        max_length=150,
        error_messages={"required": "Enter the partner organisation the link is for."},
    )
    days = forms.IntegerField(
        label="Days the link works",
        initial=21,
        min_value=1,
        max_value=MOST_LINK_DAYS,
        error_messages={
            "required": "Enter how many days the link works.",
            "invalid": "Enter the days as a whole number, such as 21.",
            "min_value": f"A link can work for 1 to {MOST_LINK_DAYS} days.",
            "max_value": f"A link can work for 1 to {MOST_LINK_DAYS} days.",
        },
    )


class AnswerForm(forms.Form):
    """The place survey: three ratings from 1 to 5 and three questions in words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(v), f"{v} {label}") for v, label in questionnaire.SCALE]
        for item in questionnaire.RATINGS:
            self.fields[f"r_{item.key}"] = forms.ChoiceField(
                label=item.text,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Answer “{item.text}” from 1 to 5."},
            )
        for item in questionnaire.TEXTS:
            self.fields[f"t_{item.key}"] = forms.CharField(
                label=item.text, widget=forms.Textarea, required=False, max_length=2000
            )

    def ratings(self) -> dict[str, int]:
        return {i.key: int(self.cleaned_data[f"r_{i.key}"]) for i in questionnaire.RATINGS}

    def texts(self) -> dict[str, str]:
        return {i.key: self.cleaned_data.get(f"t_{i.key}", "") for i in questionnaire.TEXTS}


class TagForm(forms.Form):
    answer = forms.UUIDField(widget=forms.HiddenInput)
    text_key = forms.ChoiceField(
        choices=[(k, k) for k in questionnaire.TEXT_KEYS], widget=forms.HiddenInput
    )
    theme = forms.CharField(
        label="Theme",
        max_length=100,
        error_messages={"required": "Enter a theme for this quote."},
    )
