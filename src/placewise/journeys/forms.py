from typing import Any

from django import forms

from placewise.sharing.models import Agreement
from placewise.sources import naming
from placewise.sources.models import Source
from placewise.web.dates import DateField


class FindPersonForm(forms.Form):
    source = forms.ChoiceField(
        label="Source system",
        help_text="The system the case reference comes from.",
        error_messages={
            "required": "Choose the system the case reference comes from.",
            "invalid_choice": "Choose one of the systems listed: there is no source called that.",
        },
    )
    reference = forms.CharField(
        label="Case reference",
        max_length=100,
        help_text="The person's ID in that system, e.g. CH100001.",
        error_messages={"required": "Enter the case reference."},
    )
    purpose = forms.ChoiceField(
        label="Why do you need to see this record?",
        choices=[("", "Choose a reason"), *Agreement.Purpose.choices],
        error_messages={"required": "Say why you need to see this person's records."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every registered source, named with its provider: a typed name could be a typo.
        self.fields["source"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a system"),
            *(
                (s.name, f"{naming.title_of(s)} ({s.organisation.name})")
                for s in Source.objects.select_related("organisation").order_by("name")
            ),
        ]


class CohortForm(forms.Form):
    start = DateField(
        label="Referred from",
        help_text="For example, 1 4 2025",
        error_messages={"required": "Enter the first date of referral."},
    )
    end = DateField(
        label="Referred to",
        help_text="For example, 31 3 2026",
        error_messages={"required": "Enter the last date of referral."},
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise forms.ValidationError("The last date must be on or after the first date.")
        return cleaned
