"""The forms of practice learning. Each refuses what is missing with a GOV.UK message; the
actions check again (practice.actions)."""

from typing import Any

from django import forms

from placewise.practice.models import Criterion, PeerReview, Practitioner
from placewise.web.dates import DateField


def _label(p: Practitioner) -> str:
    return f"{p.person.get_full_name() or p.person.get_username()} ({p.team})"


class ReviewForm(forms.Form):
    held_on = DateField(
        label="Date of the peer review",
        help_text="For example, 15 1 2026",
        error_messages={"required": "Enter the date of the peer review."},
    )
    method = forms.ChoiceField(
        label="How the case will be reviewed",
        choices=PeerReview.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the case will be reviewed."},
    )
    presenter = forms.ChoiceField(
        label="Practitioner presenting a case",
        error_messages={"required": "Choose the practitioner presenting a case."},
    )
    facilitator = forms.ChoiceField(
        label="Facilitator", error_messages={"required": "Choose the facilitator."}
    )
    peers = forms.MultipleChoiceField(
        label="Peers (from other teams than the presenter's)",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one peer."},
    )

    def __init__(self, *args: Any, people: list[Practitioner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(p.person_id): p for p in people}
        choices = [(str(p.person_id), _label(p)) for p in people]
        self.fields["presenter"].choices = [("", "Choose a practitioner"), *choices]  # type: ignore[attr-defined]
        self.fields["facilitator"].choices = [("", "Choose a facilitator"), *choices]  # type: ignore[attr-defined]
        self.fields["peers"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        presenter = self.people.get(cleaned.get("presenter") or "")
        peers = [self.people[p] for p in cleaned.get("peers") or []]
        if presenter is not None:
            if any(p.person_id == presenter.person_id for p in peers):
                self.add_error(
                    "peers",
                    f"{_label(presenter)} presents the case: a practitioner cannot review their "
                    "own case.",
                )
            same = [_label(p) for p in peers if p.team == presenter.team and p != presenter]
            if same:
                self.add_error(
                    "peers",
                    f"Peers come from other teams than the presenter's ({presenter.team}): "
                    f"{', '.join(same)} {'is' if len(same) == 1 else 'are'} in it.",
                )
            if cleaned.get("facilitator") == cleaned.get("presenter"):
                self.add_error(
                    "facilitator", "The facilitator cannot be the practitioner presenting."
                )
        return cleaned


class CaseForm(forms.Form):
    source = forms.ChoiceField(
        label="Where the case is recorded",
        error_messages={"required": "Choose where the case is recorded."},
    )
    reference = forms.CharField(
        label="Case reference",
        help_text="The child's reference in that system, for example CH100001",
        max_length=200,
        error_messages={"required": "Enter the case reference."},
    )

    def __init__(self, *args: Any, sources: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(s, s) for s in sources]  # type: ignore[attr-defined]


class FeedbackForm(forms.Form):
    """Per criterion: a grade, strengths (asked first, required) and areas for improvement."""

    def __init__(
        self, *args: Any, criteria: list[Criterion], grades: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"strengths_{c.pk}"] = forms.CharField(
                label="What was strong",
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": f"Say what was strong for: {c.question}"},
            )
            self.fields[f"improvements_{c.pk}"] = forms.CharField(
                label="What could be even better (optional)",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )
            self.fields[f"grade_{c.pk}"] = forms.ChoiceField(
                label="Grade",
                choices=[(g, g) for g in grades],
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose a grade for: {c.question}"},
            )

    def groups(self) -> list[tuple[Criterion, list[forms.BoundField]]]:
        return [
            (
                c,
                [self[f"strengths_{c.pk}"], self[f"improvements_{c.pk}"], self[f"grade_{c.pk}"]],
            )
            for c in self.criteria
        ]


class AgreeForm(forms.Form):
    summary = forms.CharField(
        label="The summary the group agreed",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write the summary the group agreed."},
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = [("", "No one criterion"), *((c.key, c.question) for c in criteria)]
        for n in (1, 2, 3):
            self.fields[f"point_{n}"] = forms.CharField(
                label=f"Learning point {n} (optional)",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
            self.fields[f"criterion_{n}"] = forms.ChoiceField(
                label=f"The criterion learning point {n} bears on", choices=options, required=False
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for n in (1, 2, 3):
            if cleaned.get(f"criterion_{n}") and not (cleaned.get(f"point_{n}") or "").strip():
                self.add_error(f"point_{n}", f"Write learning point {n}, or choose no criterion.")
        return cleaned

    def points(self) -> list[tuple[str, str]]:
        return [
            (self.cleaned_data[f"point_{n}"], self.cleaned_data[f"criterion_{n}"])
            for n in (1, 2, 3)
        ]


class FrameworkForm(forms.Form):
    grades = forms.CharField(
        label="The scale, best first, one grade a line",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the scale's grades, one a line."},
    )
    what_changed = forms.CharField(
        label="What changed in this version",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what changed in this version."},
    )

    def clean_grades(self) -> list[str]:
        lines = [g.strip() for g in self.cleaned_data["grades"].splitlines() if g.strip()]
        if len(lines) < 2 or len(set(lines)) != len(lines):
            raise forms.ValidationError("The scale needs at least two grades, each different.")
        return lines


class CriterionForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    remove = forms.BooleanField(label="Remove this criterion", required=False)
    area = forms.CharField(label="Area", max_length=100, required=False)
    question = forms.CharField(
        label="Question", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    what_good_looks_like = forms.CharField(
        label="What good looks like", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("remove"):
            return cleaned
        filled = [cleaned.get(f, "").strip() for f in ("area", "question", "what_good_looks_like")]
        if any(filled) and not all(filled):
            n = self.prefix.split("-")[-1] if self.prefix else ""
            label = f"criterion {int(n) + 1}" if n.isdigit() else "a criterion"
            for name, value in zip(
                ("area", "question", "what_good_looks_like"), filled, strict=True
            ):
                if not value:
                    self.add_error(
                        name,
                        f"Enter the {self.fields[name].label.lower()} of {label}, or remove it.",  # type: ignore[union-attr]
                    )
        return cleaned


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2)
