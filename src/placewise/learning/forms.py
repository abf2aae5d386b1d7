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
