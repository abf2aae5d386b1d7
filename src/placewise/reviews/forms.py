from django import forms

from placewise.outcomes.models import IndicatorChange
from placewise.reviews.models import Action, ReviewSession, Verdict
from placewise.sharing.models import Organisation
from placewise.web.dates import DateField


class SessionForm(forms.Form):
    team = forms.ChoiceField(
        label="Team", error_messages={"required": "Choose the team (or the whole place)."}
    )
    held_on = DateField(
        label="Date of the session",
        help_text="For example, 15 1 2026",
        error_messages={"required": "Enter the date of the session."},
    )
    attendees = forms.CharField(
        label="Who attended",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say who attended."},
    )
    follow_up_on = DateField(
        label="Date of the follow-up session (optional)",
        help_text="For example, 15 4 2026",
        required=False,
    )
    follows = forms.ModelChoiceField(
        label="This is the follow-up of (optional)",
        queryset=ReviewSession.objects.none(),
        required=False,
        empty_label="Not a follow-up",
        error_messages={
            "invalid_choice": "Choose a session of your own organisation to follow up.",
        },
    )

    def __init__(  # type: ignore[no-untyped-def]
        self, *args, teams: list[str], organisations: tuple[Organisation, ...], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [  # type: ignore[attr-defined]
            (t, "The whole place" if t == "Place" else f"Team {t}") for t in teams
        ]
        # Only the sessions of organisations the chair runs reviews for: another organisation's
        # agenda is not theirs to look back at, nor to see the name and date of.
        self.fields["follows"].queryset = ReviewSession.objects.filter(  # type: ignore[attr-defined]
            organisation__in=organisations
        )
        if len(organisations) > 1:
            # Someone who runs reviews for two organisations says whose this one is.
            self.fields["organisation"] = forms.ModelChoiceField(
                label="Whose session is this",
                queryset=Organisation.objects.filter(pk__in=[o.pk for o in organisations]),
                error_messages={"required": "Say which organisation's session this is."},
            )
            self.order_fields(["organisation", "team"])

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        follows, organisation = cleaned.get("follows"), cleaned.get("organisation")
        if (
            follows is not None
            and organisation is not None
            and follows.organisation_id != organisation.pk
        ):
            self.add_error(
                "follows",
                f"A follow-up looks back at a session of its own organisation: '{follows}' was "
                f"held by {follows.organisation.name}, not by {organisation.name}.",
            )
        return cleaned


class DiscussionForm(forms.Form):
    interpretations = forms.CharField(
        label="What staff make of it, in their own words",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reasons = forms.CharField(
        label="Reasons offered for the trend",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ChangeActionForm(forms.Form):
    """Edit or reassign an open action."""

    description = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what will be done."},
    )
    owner = forms.CharField(
        label="Owner", max_length=150, error_messages={"required": "Say who owns the action."}
    )
    due_on = DateField(
        label="Date the action is due",
        help_text="For example, 1 3 2026",
        error_messages={"required": "Enter the date the action is due."},
    )


class ActionForm(ChangeActionForm):
    """A new action: what, who, when, and which way it should move its measure."""

    direction = forms.ChoiceField(
        label="It should move the indicator",
        choices=Action.Direction.choices,
        error_messages={"required": "Say which way the action should move the indicator."},
    )


class VerdictForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Did the measure move?",
        choices=Verdict.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the measure moved."},
    )
    loop = forms.ChoiceField(
        label="Which loop",
        choices=Verdict.Loop.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say which loop this is."},
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    change = forms.ChoiceField(
        label="Change the indicator (double loop only)",
        required=False,
        choices=[("", "No change"), *IndicatorChange.Change.choices],
    )
    change_settings = forms.CharField(
        label="New settings, for a redefinition",
        required=False,
        help_text="One per line, like: days = 40",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    change_reason = forms.CharField(
        label="Why change it", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_change_settings(self) -> dict[str, object]:
        import tomllib

        text = self.cleaned_data.get("change_settings") or ""
        try:
            return dict(tomllib.loads(text))
        except tomllib.TOMLDecodeError as error:
            raise forms.ValidationError(
                f"Write one setting per line, like: days = 40 ({error})."
            ) from None


class AddItemForm(forms.Form):
    indicator = forms.ChoiceField(
        label="Add an indicator to the agenda",
        error_messages={"required": "Choose an indicator to add to the agenda."},
    )


class CloseActionForm(forms.Form):
    note = forms.CharField(
        label="Why it is closed",
        help_text="Done, or no longer worth doing, and what was learned.",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the action is closed."},
    )


class CarryActionForm(forms.Form):
    to = forms.ModelChoiceField(
        label="Carry it to",
        queryset=ReviewSession.objects.none(),
        empty_label="Choose a later session",
        error_messages={
            "required": "Choose the session to carry the action to.",
            "invalid_choice": "Choose a later session of the same organisation.",
        },
    )

    def __init__(self, *args: object, action: Action, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["to"].queryset = ReviewSession.objects.filter(  # type: ignore[attr-defined]
            organisation=action.organisation, held_on__gt=action.agreed_on
        )
