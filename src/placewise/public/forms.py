"""Forms of the portal's staff pages, each refusing what its action would with GOV.UK messages."""

from typing import cast

from django import forms

from placewise.public.actions import LIMIT
from placewise.sharing.models import Agreement
from placewise.web.dates import DateField


def _text(label: str, help_text: str = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=LIMIT,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}.",
            "max_length": f"{label} must be {LIMIT} characters or fewer.",
        },
    )


class ProposeForm(forms.Form):
    series = forms.ChoiceField(
        label="Figure", error_messages={"required": "Choose the figure to publish."}
    )
    meaning = _text("What it means", "In plain English, for anyone who lives here.")
    counting = _text("How it is counted")
    source = _text("Where the figures come from", rows=2)
    agreement = forms.ModelChoiceField(
        label="The agreement that covers it",
        queryset=Agreement.objects.filter(status=Agreement.Status.ACTIVE),
        required=False,
        empty_label="None: the council's own data",
    )
    next_update = DateField(
        label="Date of the next update",
        error_messages={"required": "Enter the date of the next update."},
    )

    def __init__(self, *args: object, series: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        cast(forms.ChoiceField, self.fields["series"]).choices = [("", "Choose a figure"), *series]


class WithdrawForm(forms.Form):
    reason = _text("Why it is withdrawn")


class StrategyForm(forms.Form):
    ambition = _text("Our ambition for data", rows=3)
    vision = _text("Our vision", rows=4)
    purposes = _text("What data is used for", "One purpose a line.", rows=5)
