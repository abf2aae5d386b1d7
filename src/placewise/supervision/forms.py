"""Forms for supervision's pages. Each refuses incomplete input with a message the GOV.UK error
summary shows; the rules that need the database are the actions'."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from placewise.practice.models import Criterion, PeerReview
from placewise.reviews.models import Verdict
from placewise.supervision.queries import name
from placewise.web.dates import DateField


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return name(obj)


class SupervisesForm(forms.Form):
    supervisee = PersonChoice(
        label="Who you supervise",
        queryset=get_user_model().objects.none(),
        empty_label="Choose a practitioner",
        error_messages={
            "required": "Choose the practitioner you supervise.",
            "invalid_choice": "Choose a practitioner of your organisation.",
        },
    )
    since = DateField(
        label="Supervising since",
        help_text="For example, 1 9 2026",
        error_messages={"required": "Enter the date the supervision began."},
    )

    def __init__(self, *args: Any, people: Any, supervisors: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisee"].queryset = people  # type: ignore[attr-defined]
        if supervisors is not None:
            # A head of service records who supervises whom for others too.
            self.fields["supervisor"] = PersonChoice(
                label="Supervisor",
                queryset=supervisors,
                empty_label="Choose the supervisor",
                error_messages={
                    "required": "Choose the supervisor.",
                    "invalid_choice": "Choose someone who supervises at your organisation.",
                },
            )
            self.fields["supervisee"].label = "Supervisee"
            self.order_fields(["supervisor", "supervisee", "since"])


class EndForm(forms.Form):
    until = DateField(
        label="Date the supervision ended",
        help_text="For example, 31 3 2027",
        error_messages={"required": "Enter the date the supervision ended."},
    )


class ReviewChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        review: PeerReview = obj
        return (
            f"Peer review of {review.held_on:%-d %B %Y} ({review.get_method_display().lower()}), "
            f"shared on {review.shared_on:%-d %B %Y}"
        )


class SessionForm(forms.Form):
    held_on = DateField(
        label="Date of the supervision",
        help_text="For example, 12 3 2026",
        error_messages={"required": "Enter the date of the supervision."},
    )
    reviews = ReviewChoice(
        label="Peer reviews discussed",
        queryset=PeerReview.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only the reviews the practitioner has shared into supervision are listed.",
        error_messages={"invalid_choice": "Choose only reviews shared into supervision."},
    )
    reflections = forms.CharField(
        label="Reflections on the feedback",
        help_text="What the practitioner and you made of the feedback: what went well, what "
        "they want to develop.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Record the reflections on the feedback discussed."},
    )

    def __init__(self, *args: Any, shared: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviews"].queryset = shared  # type: ignore[attr-defined]


class WillTryForm(forms.Form):
    description = forms.CharField(
        label="What the practitioner will try",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what the practitioner will try."},
    )
    criterion = forms.ChoiceField(
        label="The criterion it should improve",
        error_messages={
            "required": "Choose the criterion it should improve.",
            "invalid_choice": "Choose a criterion of the review framework.",
        },
    )
    due_on = DateField(
        label="By when",
        help_text="For example, 30 6 2026",
        error_messages={"required": "Enter the date they will have tried it by."},
    )

    def __init__(self, *args: Any, criteria: dict[str, Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a criterion"),
            *((key, f"{c.area}: {c.question}") for key, c in criteria.items()),
        ]


class FollowUpForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Did the practice move?",
        choices=Verdict.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the practice moved."},
    )
    loop = forms.ChoiceField(
        label="Which loop",
        choices=Verdict.Loop.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say which loop the learning is."},
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    note = forms.CharField(
        label="Why it is closed",
        help_text="Done and now part of the practice, or no longer worth trying.",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why it is closed: done, or no longer worth trying."},
    )
