"""Forms for the initiative pages. Each refuses incomplete input with a message the GOV.UK error
summary shows; the rules that need the database are the actions'."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from placewise.indicators import library
from placewise.initiatives.models import (
    Capacity,
    Conversation,
    Initiative,
    Level,
    Measure,
    Stakeholder,
)
from placewise.leadership.models import Reflection
from placewise.reviews.models import Verdict
from placewise.sharing.models import Agreement, Organisation
from placewise.sources.models import Source
from placewise.web.dates import DateField


def _text(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea, help_text=help_text)


def _choice(label: str, choices: Any, required: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required, "invalid_choice": required},
    )


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class StartForm(forms.Form):
    kind = _choice(
        "What is it?",
        Initiative.Kind.choices,
        "Say whether this is an initiative or a place project.",
    )
    name = forms.CharField(label="Name", error_messages={"required": "Give the initiative a name."})
    issue = forms.CharField(
        label="The issue it takes on",
        required=False,
        help_text="A place project takes one issue, such as food poverty.",
    )
    organisation = forms.ModelChoiceField(
        label="Led by",
        queryset=Organisation.objects.none(),
        error_messages={"required": "Choose the organisation that leads it."},
    )
    started_on = DateField(
        label="Date it started", error_messages={"required": "Enter the date it started."}
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[o.pk for o in organisations]
        )


class DescribeForm(forms.Form):
    public_value = _text(
        "Public value", "What this work will change for children, families and the public."
    )
    systems = _text("Systems", "The systems and processes the work relies on or changes.")
    workforce = _text("Workforce", "The people, skills and roles it needs.")
    leadership = _text("Leadership", "Who leads it, and how leadership is shared across partners.")
    progress = _text("Progress", "Where the work has got to.")


class StakeholderForm(forms.Form):
    kind = _choice(
        "Person or organisation",
        Stakeholder.Kind.choices,
        "Say whether the stakeholder is a person or an organisation.",
    )
    name = forms.CharField(
        label="Name", error_messages={"required": "Give the stakeholder's name."}
    )
    role = forms.CharField(label="Role", required=False)
    organisation = forms.ModelChoiceField(
        label="Partner organisation",
        queryset=Organisation.objects.all(),
        required=False,
        help_text="Where they are, or belong to, one of the place's partners.",
    )
    organisation_name = forms.CharField(
        label="Other organisation", required=False, help_text="If not one of the partners."
    )
    authorising = forms.BooleanField(
        label="They must authorise this work", required=False, widget=forms.CheckboxInput
    )
    authorises = forms.CharField(label="What they authorise", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("authorising") and not data.get("authorises", "").strip():
            self.add_error("authorises", "Say what this stakeholder must authorise.")
        return data


class PlacementForm(forms.Form):
    trust = _choice("How far do you trust them?", Level.choices, "Say how far you trust them.")
    agreement = _choice(
        "How far do they agree with this work?",
        Level.choices,
        "Say how far they agree with this work.",
    )
    placed_on = DateField(
        label="Date", error_messages={"required": "Enter the date of your placement."}
    )
    note = forms.CharField(label="Why", required=False, widget=forms.Textarea)


class ConversationForm(forms.Form):
    description = forms.CharField(
        label="The conversation",
        widget=forms.Textarea,
        error_messages={"required": "Say what the conversation is for."},
    )
    owner = PersonChoice(
        label="Who will have it",
        queryset=get_user_model().objects.none(),
        error_messages={"required": "Choose who will have the conversation."},
    )
    due_on = DateField(
        label="By when", error_messages={"required": "Enter the date the conversation is due by."}
    )
    measure = forms.ModelChoiceField(
        label="Indicator it should move",
        queryset=Measure.objects.none(),
        required=False,
        help_text="Leave empty: whoever has it says afterwards whether it helped.",
    )

    def __init__(self, *args: Any, initiative: Initiative, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = get_user_model().objects.filter(  # type: ignore[attr-defined]
            pk__in=initiative.team.values_list("user_id", flat=True)
        )
        self.fields["measure"].queryset = initiative.measures.all()  # type: ignore[attr-defined]


class MemberForm(forms.Form):
    user = PersonChoice(
        label="Person",
        queryset=get_user_model().objects.filter(is_active=True).order_by("first_name", "username"),
        error_messages={"required": "Choose who joins the team."},
    )


class PartnerForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Partner organisation",
        queryset=Organisation.objects.all(),
        error_messages={"required": "Choose the partner organisation."},
    )


class CapacityForm(forms.Form):
    kind = _choice("Kind", Capacity.Kind.choices, "Say what kind of capacity it is.")
    description = forms.CharField(
        label="What it is", error_messages={"required": "Describe the capacity."}
    )
    agreement = forms.ModelChoiceField(
        label="Depends on the agreement", queryset=Agreement.objects.all(), required=False
    )
    source = forms.ModelChoiceField(
        label="Depends on the source", queryset=Source.objects.all(), required=False
    )
    team = forms.CharField(label="Team", required=False)


class MeasureForm(forms.Form):
    indicator = forms.ChoiceField(
        label="Indicator", error_messages={"required": "Choose the indicator it should move."}
    )
    team = forms.CharField(label="Team", required=False, help_text="Leave empty for the place.")
    direction = _choice(
        "Which way should it move?",
        [("up", "Up"), ("down", "Down")],
        "Say which way it should move.",
    )
    public_value = forms.BooleanField(
        label="It shows the public value being delivered", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        found = sorted(library.load().items(), key=lambda kv: kv[1].title)
        choices = [("", "Choose an indicator")] + [(key, i.title) for key, i in found]
        self.fields["indicator"].choices = choices  # type: ignore[attr-defined]


class MilestoneForm(forms.Form):
    title = forms.CharField(
        label="Milestone", error_messages={"required": "Say what the milestone is."}
    )
    due_on = DateField(
        label="Due", error_messages={"required": "Enter the date the milestone is due."}
    )


class ConversationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.action.description} (by {obj.action.due_on:%-d %B %Y})"


class FollowUpForm(forms.Form):
    conversation = ConversationChoice(
        label="Which conversation",
        queryset=Conversation.objects.none(),
        error_messages={"required": "Choose the conversation you had."},
    )
    written_on = DateField(
        label="Date", error_messages={"required": "Enter the date of your follow-up."}
    )
    what_happened = forms.CharField(
        label="What happened",
        widget=forms.Textarea,
        error_messages={"required": "Say what happened."},
    )
    effect = _choice(
        "Did it make the difference you hoped?",
        Reflection.Effect.choices,
        "Say what difference it made, or that it is too soon to say.",
    )
    loop = _choice(
        "What follows", Verdict.Loop.choices, "Say whether to do it better or change the plan."
    )

    def __init__(self, *args: Any, conversations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["conversation"].queryset = conversations  # type: ignore[attr-defined]
