"""Forms for the resident service guide. Each refuses incomplete or over-long input with a message
the GOV.UK error summary shows; the rules that need the database are the actions'."""

from typing import Any

from django import forms

from placewise.guide.matching import MAX_LENGTH
from placewise.guide.models import Item


class SearchForm(forms.Form):
    """What a resident types. Read from the query string, so a search can be linked to."""

    q = forms.CharField(
        label="Search the guide",
        required=False,
        max_length=MAX_LENGTH,
        strip=True,
        error_messages={
            "max_length": f"Search for {MAX_LENGTH} characters or fewer, like 'pizza box'"
        },
    )


class GuideForm(forms.Form):
    title = forms.CharField(
        label="The question it answers",
        max_length=120,
        help_text="In residents' words, like 'Which bin does this go in?'",
        error_messages={"required": "Enter the question it answers"},
    )
    area = forms.CharField(
        label="Council area",
        max_length=120,
        error_messages={"required": "Enter the council area"},
    )
    key = forms.SlugField(
        label="Address",
        max_length=60,
        help_text="Lower-case letters, digits and hyphens: the guide is at /guide/<address>/",
        error_messages={
            "required": "Enter the address",
            "invalid": "Address must be lower-case letters, digits and hyphens, like recycling",
        },
    )
    introduction = forms.CharField(
        label="Introduction", required=False, max_length=600, widget=forms.Textarea
    )


class ItemForm(forms.Form):
    name = forms.CharField(
        label="Item",
        max_length=MAX_LENGTH,
        help_text="What residents call it, like 'Pizza box'",
        error_messages={"required": "Enter the item"},
    )
    answer = forms.CharField(
        label="Answer",
        max_length=200,
        help_text="Where it goes, in a few words, like 'Blue recycling bin'",
        error_messages={"required": "Enter the answer"},
    )
    detail = forms.CharField(label="How", required=False, max_length=1000, widget=forms.Textarea)
    synonyms = forms.CharField(
        label="Other words for it",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        help_text="One a line, like 'takeaway box'",
    )


class ItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.answer}"


class GapAnswerForm(forms.Form):
    """One step: the words join an existing item, or become a new item with its answer."""

    item = ItemChoice(
        label="Add the words to an item the guide has",
        queryset=Item.objects.none(),
        required=False,
        empty_label="No: write a new answer below",
    )
    name = forms.CharField(label="New item", required=False, max_length=MAX_LENGTH)
    answer = forms.CharField(
        label="Answer",
        required=False,
        max_length=200,
        help_text="Where it goes, in a few words",
    )
    detail = forms.CharField(label="How", required=False, max_length=1000, widget=forms.Textarea)

    def __init__(self, *args: Any, guide: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = guide.items.all()  # type: ignore[attr-defined]
        self.fields["item"].error_messages["invalid_choice"] = "Choose an item from the list"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        answer = str(data.get("answer", "")).strip()
        if data.get("item") is None and not self.errors and not answer:
            self.add_error("answer", "Choose an item the guide has, or enter the new item's answer")
        return data
