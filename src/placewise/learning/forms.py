from django import forms

from placewise.sharing.models import Agreement


class FindPersonForm(forms.Form):
    source = forms.CharField(
        label="Source system",
        max_length=100,
        help_text="For example council_csc for the council's case system.",
    )
    reference = forms.CharField(
        label="Case reference",
        max_length=100,
        help_text="The person's ID in that system, e.g. CH100001.",
    )
    purpose = forms.ChoiceField(
        label="Why do you need to see this record?",
        choices=[("", "Choose a reason"), *Agreement.Purpose.choices],
    )


class CohortForm(forms.Form):
    start = forms.DateField(
        label="Referred from",
        error_messages={"invalid": "Enter the first date as a real date, like 2025-04-01."},
    )
    end = forms.DateField(
        label="Referred to",
        error_messages={"invalid": "Enter the last date as a real date, like 2026-03-31."},
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise forms.ValidationError("The last date must be on or after the first date.")
        return cleaned
