"""Forms for the community pages. Each refuses incomplete input with a message the GOV.UK error
summary shows; the rules that need the database are the actions'."""

from typing import Any

from django import forms

from placewise.community.models import Dimension, PopulationTable, Proposal, Session, Theme
from placewise.initiatives.models import Initiative
from placewise.reviews.models import Action
from placewise.sources import naming
from placewise.web.dates import DateField
from placewise.web.labels import EVENT_KINDS

MAX_FILE = 1_000_000  # bytes: a population table is a few hundred rows


def _text(label: str, required: str = "", help_text: str = "", area: bool = True) -> Any:
    return forms.CharField(
        label=label,
        required=bool(required),
        widget=forms.Textarea if area else forms.TextInput,
        help_text=help_text,
        max_length=5000,
        error_messages={"required": required} if required else {},
    )


class PopulationForm(forms.Form):
    title = _text("Title", "Give the table a title.", area=False)
    source = _text(
        "Source", "Say where the figures come from.", "For example: Census 2021, ONS.", area=False
    )
    file = forms.FileField(
        label="Population table (CSV)",
        help_text="Columns: dimension, group, observation. One row a group.",
        error_messages={"required": "Choose a CSV file to load."},
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE:
            raise forms.ValidationError("The file must be smaller than 1 MB.")
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise forms.ValidationError("The file must be a CSV saved as UTF-8.") from None


def _by_name(choice: tuple[str, str]) -> str:
    return choice[1]


_KINDS: list[tuple[str, str]] = sorted(EVENT_KINDS.items(), key=_by_name)


class ServiceUsersForm(forms.Form):
    """A population table of the service's own users, from one of its sources."""

    title = _text("Title", "Give the table a title.", area=False)
    source = forms.ChoiceField(
        label="Source", error_messages={"required": "Choose one of your organisation's sources."}
    )
    kind = forms.ChoiceField(
        label="Children with",
        choices=_KINDS,
        error_messages={"required": "Choose the kind of event."},
    )
    since = DateField(label="Start of the period")
    until = DateField(label="End of the period")

    def __init__(self, *args: Any, sources: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(s, naming.title_of(s)) for s in sources]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "End of the period must be the same as or after its start.")
        return data


class EngagementForm(forms.Form):
    title = _text("Title", "Give the engagement a title.", area=False)
    question = _text(
        "What are you asking?",
        "Write the question you want the community's help with.",
        "In plain English: this is what the public page says we asked.",
    )
    started_on = DateField(
        label="When it began", error_messages={"required": "Enter the date the engagement began."}
    )
    indicator = forms.ChoiceField(label="Indicator it should help move", required=False)
    initiative = forms.ModelChoiceField(
        label="The initiative or project it serves",
        queryset=Initiative.objects.none(),
        required=False,
    )
    population = forms.ModelChoiceField(
        label="The people you mean to hear",
        queryset=PopulationTable.objects.none(),
        required=False,
        help_text="A population table your organisation loaded; reach compares with it.",
    )

    def __init__(
        self, *args: Any, indicators: dict[str, str], tables: Any, initiatives: Any, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [  # type: ignore[attr-defined]
            ("", "None yet"),
            *sorted(indicators.items()),
        ]
        self.fields["population"].queryset = tables  # type: ignore[attr-defined]
        self.fields["initiative"].queryset = initiatives  # type: ignore[attr-defined]


def parse_counts(text: str, label: str) -> dict[str, int]:
    """'Group: count' lines (or 'Group, count') into {group: count}."""
    out: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        sep = ":" if ":" in line else ","
        group, _, count = line.rpartition(sep)
        group, count = group.strip(), count.strip()
        if not group or not count.isdigit():
            raise forms.ValidationError(
                f"{label}, line {number}: write each group as 'Group: count', like 'Asian: 6'."
            )
        if group in out:
            raise forms.ValidationError(f"{label}, line {number}: '{group}' is counted twice.")
        out[group[:100]] = int(count)
    return out


class SessionForm(forms.Form):
    held_on = DateField(
        label="Date of the session", error_messages={"required": "Enter the date of the session."}
    )
    mode = forms.ChoiceField(
        label="In person or online",
        choices=Session.Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the session was in person or online."},
    )
    venue = _text("Where", area=False)
    groups = _text(
        "Community groups and organisations involved", "Name the groups and organisations involved."
    )
    facilitators = _text("Facilitators", "Name who facilitated.", area=False)
    accessibility = _text("Accessibility support offered")
    languages = _text("Language support offered", area=False)
    participants = forms.IntegerField(
        label="How many people took part",
        min_value=1,
        max_value=100_000,
        error_messages={
            "required": "Enter how many people took part.",
            "invalid": "Enter how many people took part as a whole number, like 12.",
            "min_value": "At least one person took part in a session.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for dimension in Dimension:
            self.fields[f"counts_{dimension.value}"] = forms.CharField(
                label=f"{dimension.label}: how many in each group",
                required=False,
                widget=forms.Textarea,
                max_length=5000,
                help_text="One group a line, like 'Asian: 6'. Leave out anyone not known.",
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        counts: dict[str, dict[str, int]] = {}
        for dimension in Dimension:
            name = f"counts_{dimension.value}"
            try:
                counts[dimension.value] = parse_counts(data.get(name) or "", dimension.label)
            except forms.ValidationError as wrong:
                self.add_error(name, wrong)
        data["counts"] = {d: c for d, c in counts.items() if c}
        return data


class ContactForm(forms.Form):
    name = _text("Name", "Enter the participant's name.", area=False)
    how = _text(
        "How they would like to be contacted",
        "Enter an email address or phone number.",
        area=False,
    )
    consent = _text(
        "What they agreed to",
        "Record what the participant agreed we may contact them about.",
        "In their terms, like: to hear what happened to the proposals.",
    )
    delete_on = DateField(
        label="Delete on",
        error_messages={"required": "Enter the date their details are deleted."},
    )


class VoiceForm(forms.Form):
    words = _text("What they said, in their words", "Write what the participant said.")
    session = forms.ModelChoiceField(
        label="Session",
        queryset=Session.objects.none(),
        required=False,
        empty_label="Not recorded",
    )

    def __init__(self, *args: Any, sessions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]


class ThemeForm(forms.Form):
    title = _text("Theme", "Give the theme a title.", area=False)
    summary = _text("What it is about")


class PlaceVoiceForm(forms.Form):
    theme = forms.ModelChoiceField(
        label="Theme",
        queryset=Theme.objects.none(),
        error_messages={"required": "Choose a theme."},
    )

    def __init__(self, *args: Any, themes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes  # type: ignore[attr-defined]


class ProposalForm(forms.Form):
    text = _text("Proposal", "Write the proposal.")


RESPONSES = [c for c in Proposal.Response.choices if c[0] != Proposal.Response.PENDING]


class ResponseForm(forms.Form):
    response = forms.ChoiceField(
        label="Our response",
        choices=RESPONSES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose adopted, adapted or not taken forward."},
    )
    reason = _text(
        "Why (adapted: how; not taken forward: why not)",
        help_text="The public page shows this in these words.",
    )
    description = _text("The action: what will be done", area=False)
    owner = _text("Who owns the action", area=False)
    due_on = DateField(label="When it is due", required=False)
    direction = forms.ChoiceField(
        label="Which way the indicator should move",
        choices=Action.Direction.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        response = data.get("response")
        if response == Proposal.Response.NOT_TAKEN and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why the proposal is not being taken forward.")
        if response == Proposal.Response.ADAPTED and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say how the proposal was adapted, and why.")
        if response in (Proposal.Response.ADOPTED, Proposal.Response.ADAPTED):
            if not (data.get("owner") or "").strip():
                self.add_error("owner", "Say who owns the action.")
            if data.get("due_on") is None and "due_on" not in self.errors:
                self.add_error("due_on", "Enter the date the action is due.")
            if not data.get("direction"):
                self.add_error("direction", "Say which way the indicator should move.")
        return data
