"""Forms for the leadership pages. Each refuses incomplete input with a message the GOV.UK error
summary shows; the rules that need the database are the actions'."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from placewise.leadership.models import Capability, Conversation, Level, Reflection, Scope
from placewise.leadership.queries import name
from placewise.leadership.starter import ACTIVITIES
from placewise.reviews.models import Verdict
from placewise.web.dates import DateField


def _text(label: str, required: str = "", help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=bool(required),
        widget=forms.Textarea,
        help_text=help_text,
        error_messages={"required": required} if required else {},
    )


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return name(obj)


class PlanForm(forms.Form):
    level = forms.ChoiceField(
        label="Your level",
        choices=Level.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose your level.",
            "invalid_choice": "Choose one of the four levels.",
        },
    )


class CapabilityForm(forms.Form):
    stand = _text(
        "Where I stand now", help_text="What you do well and what you find hard, in your words."
    )
    why = _text(
        "Why it matters for me",
        help_text="For your role, your team, and the children and families you serve.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("stand", "").strip() or data.get("why", "").strip()):
            raise forms.ValidationError(
                "Write where you stand now, why it matters for you, or both."
            )
        return data


class ExperimentForm(forms.Form):
    capability = forms.ChoiceField(
        label="Capability it develops",
        choices=Capability.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the capability the experiment develops."},
    )
    scope = forms.ChoiceField(
        label="Who it is for",
        choices=Scope.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the experiment is for."},
    )
    activity = forms.ChoiceField(
        label="Starting point",
        choices=[("", "My own idea"), *((a.key, a.title) for a in ACTIVITIES)],
        required=False,
    )
    what = _text("What you will try", required="Say what you will try.")
    when_where = _text("When and where", required="Say when and where you will try it.")
    starts_on = DateField(
        label="Start date",
        help_text="For example, 12 1 2027",
        error_messages={"required": "Enter the start date."},
    )
    review_on = DateField(
        label="Review date",
        help_text="When you will look at what happened",
        error_messages={"required": "Enter the review date."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, review = data.get("starts_on"), data.get("review_on")
        if starts and review and review <= starts:
            self.add_error("review_on", "The review date must be after the start date.")
        return data


EFFECTS = [
    (Reflection.Effect.AS_HOPED.value, Reflection.Effect.AS_HOPED.label),
    (Reflection.Effect.NO_CHANGE.value, Reflection.Effect.NO_CHANGE.label),
    (Reflection.Effect.WRONG_WAY.value, Reflection.Effect.WRONG_WAY.label),
    ("too_soon", Reflection.Effect.CANT_TELL.label),
]


class ReflectionForm(forms.Form):
    what_happened = _text("What happened", required="Say what happened.")
    learned = _text("What you learned")
    effect = forms.ChoiceField(
        label="What difference it made",
        choices=EFFECTS,
        widget=forms.RadioSelect,
        error_messages={"required": "Say what difference it made, or that it is too soon."},
    )
    loop = forms.ChoiceField(
        label="What the learning means",
        choices=Verdict.Loop.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the learning means."},
    )

    def clean_effect(self) -> str:
        value = str(self.cleaned_data["effect"])
        return "" if value == "too_soon" else value


class DatedReflectionForm(ReflectionForm):
    written_on = DateField(label="Date", error_messages={"required": "Enter the date."})

    field_order = ["written_on", "what_happened", "learned", "effect", "loop"]


class ShareForm(forms.Form):
    viewer = PersonChoice(
        label="Share your plan with",
        queryset=get_user_model().objects.none(),
        empty_label="Choose a person",
        error_messages={
            "required": "Choose who to share your plan with.",
            "invalid_choice": "Choose someone from the list.",
        },
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["viewer"].queryset = people  # type: ignore[attr-defined]


class CoachingForm(forms.Form):
    role = forms.ChoiceField(
        label="You are",
        choices=[("coachee", "The coachee"), ("coach", "The coach")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you are the coach or the coachee."},
    )
    other = PersonChoice(
        label="The other person",
        queryset=get_user_model().objects.none(),
        empty_label="Choose a person",
        error_messages={
            "required": "Choose the other person in the coaching.",
            "invalid_choice": "Choose someone from the list.",
        },
    )
    since = DateField(label="Coaching since", help_text="For example, 1 9 2026")

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = people  # type: ignore[attr-defined]


class ConversationForm(forms.Form):
    held_on = DateField(label="Date of the conversation")
    recorded = forms.ChoiceField(
        label="Who is recording it",
        choices=Conversation.Recorded.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say how it is recorded: together, or with the other person's consent."
        },
    )
    goal = _text("Goal", help_text="What do you want to achieve?")
    reality = _text("Reality", help_text="What is happening now?")
    options = _text("Options", help_text="What could you do?")
    will = _text("Will", help_text="What will you do? You can add more commitments afterwards.")
    will_review_on = DateField(
        label="Review date for the Will", required=False, help_text="When to look at what happened"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any((data.get(k) or "").strip() for k in ("goal", "reality", "options", "will")):
            raise forms.ValidationError(
                "Write at least one stage: Goal, Reality, Options or Will. Start at any of them."
            )
        will = (data.get("will") or "").strip()
        if will and not data.get("will_review_on") and "will_review_on" not in self.errors:
            self.add_error("will_review_on", "Enter the review date for the Will.")
        return data


class StagesForm(forms.Form):
    goal = _text("Goal", help_text="What do you want to achieve?")
    reality = _text("Reality", help_text="What is happening now?")
    options = _text("Options", help_text="What could you do?")


class WillForm(forms.Form):
    what = _text("What you will do", required="Say what you will do.")
    review_on = DateField(
        label="Review date",
        help_text="When to look at what happened",
        error_messages={"required": "Enter the review date."},
    )


class EndForm(forms.Form):
    until = DateField(label="Date the coaching ended", help_text="For example, 31 3 2027")
