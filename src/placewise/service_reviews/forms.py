"""Forms for operational and strategic reviews: each message says what to do, GOV.UK style."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from placewise.reviews.models import Action
from placewise.service_reviews.actions import MAX_SAMPLE, MIN_AREAS
from placewise.service_reviews.models import Area, Kind, ReviewSchedule, StrategicGoal
from placewise.sharing.models import Agreement, Organisation
from placewise.sources.models import Source
from placewise.web.dates import DateField

HOW_MANY = forms.IntegerField(
    label="How many children",
    min_value=1,
    max_value=MAX_SAMPLE,
    initial=5,
    error_messages={
        "required": "Enter how many children to draw.",
        "invalid": "How many children must be a number, like 5.",
        "min_value": "Draw at least 1 child.",
        "max_value": f"Draw at most {MAX_SAMPLE} children: a meeting talks each journey through.",
    },
)


class GoalForm(forms.Form):
    title = forms.CharField(
        label="Strategic goal",
        max_length=150,
        error_messages={"required": "Enter the goal."},
    )
    description = forms.CharField(
        label="What it means (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ScheduleForm(forms.Form):
    title = forms.CharField(
        label="Name of the review",
        max_length=150,
        help_text="For example, Front door operational review",
        error_messages={"required": "Enter the name of the review."},
    )
    kind = forms.ChoiceField(
        label="Kind of review",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the review is operational or strategic."},
    )
    every = forms.ChoiceField(
        label="How often it meets",
        choices=[("", "Choose how often"), *ReviewSchedule.Every.choices],
        error_messages={"required": "Say how often the review meets."},
    )
    areas = forms.MultipleChoiceField(
        label="Areas of the service whose leaders take part",
        choices=Area.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": f"Choose at least {MIN_AREAS} areas of the service."},
    )
    leaders = forms.CharField(
        label="Leaders invited",
        help_text="One per line, with their area: for example, Head of early help",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Name the leaders the review invites."},
    )
    invited = forms.ModelMultipleChoiceField(
        label="People with an account who take part (optional)",
        help_text="Partners' leads open its meetings and see children's journeys as their own "
        "organisation's agreements allow.",
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, organisations: tuple[Organisation, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invited"].queryset = (  # type: ignore[attr-defined]
            get_user_model()
            .objects.filter(is_active=True, memberships__isnull=False)
            .distinct()
            .order_by("first_name", "username")
        )
        self.fields["invited"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: u.get_full_name() or u.get_username()
        )
        if len(organisations) > 1:
            self.fields["organisation"] = forms.ModelChoiceField(
                label="Whose review is this",
                queryset=Organisation.objects.filter(pk__in=[o.pk for o in organisations]),
                error_messages={"required": "Say which organisation's review this is."},
            )

    def clean_areas(self) -> list[str]:
        areas: list[str] = self.cleaned_data["areas"]
        if len(areas) < MIN_AREAS:
            raise forms.ValidationError(
                f"Choose at least {MIN_AREAS} areas of the service: a review brings leaders "
                "from different areas together."
            )
        return areas


class MeetingForm(forms.Form):
    schedule = forms.ModelChoiceField(
        label="Which review",
        queryset=ReviewSchedule.objects.none(),
        empty_label="Choose the review",
        error_messages={
            "required": "Choose the review this meeting is of.",
            "invalid_choice": "Choose one of your own reviews.",
        },
    )
    held_on = DateField(
        label="Date of the meeting",
        help_text="For example, 12 3 2026",
        error_messages={"required": "Enter the date of the meeting."},
    )
    attendees = forms.CharField(
        label="Who attended",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say who attended."},
    )
    purpose = forms.ChoiceField(
        label="Why are children's records opened?",
        help_text="Each child's records are opened for this purpose, as the agreements allow.",
        choices=[("", "Choose a reason"), *Agreement.Purpose.choices],
        error_messages={"required": "Say why the children's records are opened."},
    )

    def __init__(self, *args: Any, schedules: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["schedule"].queryset = schedules  # type: ignore[attr-defined]


class IndicatorSampleForm(forms.Form):
    indicator = forms.ChoiceField(
        label="Indicator", error_messages={"required": "Choose the indicator."}
    )
    team = forms.CharField(
        label="Team",
        max_length=100,
        initial="Place",
        help_text="A team's name, or Place for the whole place.",
        error_messages={"required": "Enter the team, or Place for the whole place."},
    )
    month = DateField(
        label="Month of the figure",
        help_text="Any day of the month: for example, 1 3 2026",
        error_messages={"required": "Enter the month of the figure."},
    )
    how_many = HOW_MANY

    def __init__(self, *args: Any, indicators: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [  # type: ignore[attr-defined]
            ("", "Choose an indicator"),
            *indicators,
        ]


class CohortSampleForm(forms.Form):
    start = DateField(
        label="Referred from",
        help_text="For example, 1 1 2026",
        error_messages={"required": "Enter the first date of referral."},
    )
    end = DateField(
        label="Referred to",
        help_text="For example, 31 3 2026",
        error_messages={"required": "Enter the last date of referral."},
    )
    how_many = HOW_MANY

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The last date must be on or after the first date.")
        return cleaned


class ReferralSampleForm(forms.Form):
    source = forms.ChoiceField(
        label="Partner's system",
        error_messages={
            "required": "Choose the partner's system the referral came from.",
            "invalid_choice": "Choose one of the partners' systems listed.",
        },
    )
    reference = forms.CharField(
        label="Case reference",
        max_length=100,
        help_text="The child's reference in that system, e.g. DA/2025/000001.",
        error_messages={"required": "Enter the case reference."},
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A partner's referral: the systems of organisations other than the meeting's own.
        self.fields["source"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a system"),
            *(
                (s.name, f"{s.name} ({s.organisation.name})")
                for s in Source.objects.exclude(organisation=organisation)
                .select_related("organisation")
                .order_by("name")
            ),
        ]


class FindingForm(forms.Form):
    process = forms.CharField(
        label="Operational process",
        max_length=150,
        help_text="For example, step-down from social care to early help",
        error_messages={"required": "Name the operational process."},
    )
    shows = forms.CharField(
        label="What the children's journeys show about it",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what the journeys show about the process."},
    )
    goal = forms.ModelChoiceField(
        label="Strategic goal it bears on",
        queryset=StrategicGoal.objects.none(),
        empty_label="Choose a goal",
        error_messages={
            "required": "Choose the strategic goal the finding bears on.",
            "invalid_choice": "Choose one of the service's strategic goals.",
        },
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = StrategicGoal.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        )


class ChangeForm(forms.Form):
    description = forms.CharField(
        label="Process change agreed",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what will change."},
    )
    owner = forms.CharField(
        label="Owner", max_length=150, error_messages={"required": "Say who owns the change."}
    )
    due_on = DateField(
        label="Due by",
        help_text="For example, 30 6 2026",
        error_messages={"required": "Enter the date the change is due."},
    )
    indicator = forms.ChoiceField(
        label="Indicator it should move",
        error_messages={"required": "Choose the indicator the change should move."},
    )
    team = forms.CharField(
        label="Team",
        max_length=100,
        initial="Place",
        help_text="A team's name, or Place for the whole place.",
        error_messages={"required": "Enter the team, or Place for the whole place."},
    )
    direction = forms.ChoiceField(
        label="Which way should it move",
        choices=Action.Direction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say which way the indicator should move."},
    )

    def __init__(self, *args: Any, indicators: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [  # type: ignore[attr-defined]
            ("", "Choose an indicator"),
            *indicators,
        ]
