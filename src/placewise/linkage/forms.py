from django import forms

from placewise.linkage.models import PairReview


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Are these records the same child?",
        choices=[
            (PairReview.Decision.SAME, "Yes, the same child"),
            (PairReview.Decision.DIFFERENT, "No, different children"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the two records are the same child."},
    )
    note = forms.CharField(
        label="Why (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
