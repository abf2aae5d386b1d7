"""Forms for the system map pages. Each refuses incomplete input with a message the GOV.UK error
summary shows; the rules that need the map are the actions'."""

from typing import Any

from django import forms

from placewise.systemmap.models import DRAWN_EDGE_KINDS, DRAWN_NODE_KINDS, EdgeKind, NodeKind
from placewise.web.dates import DateField

NODE_CHOICES = [(k.value, k.label) for k in DRAWN_NODE_KINDS]
EDGE_CHOICES = [(k.value, str(EdgeKind(k).label)) for k in DRAWN_EDGE_KINDS]


class NodeForm(forms.Form):
    label = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the node's name."}
    )
    kind = forms.ChoiceField(
        label="What it is",
        choices=NODE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what kind of node it is.",
            "invalid_choice": "Choose one of the kinds listed.",
        },
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea, max_length=2000)
    sources = forms.CharField(
        label="Sources",
        required=False,
        max_length=1000,
        help_text="Where this comes from: a document, a meeting, a person.",
    )


class EdgeForm(forms.Form):
    source = forms.ChoiceField(
        label="From", error_messages={"required": "Choose the node the relationship goes from."}
    )
    kind = forms.ChoiceField(
        label="Relationship",
        choices=[("", "Choose a relationship"), *EDGE_CHOICES],
        error_messages={
            "required": "Choose what kind of relationship it is.",
            "invalid_choice": "Choose one of the relationships listed.",
        },
        help_text="For a causal loop: “causes more of” when more of the first means more of the "
        "second; “causes less of” when more of the first means less of the second.",
    )
    target = forms.ChoiceField(
        label="To", error_messages={"required": "Choose the node the relationship goes to."}
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea, max_length=2000)
    sources = forms.CharField(label="Sources", required=False, max_length=1000)

    def __init__(self, *args: Any, nodes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Choose a node"), *nodes]
        for name in ("source", "target"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
            field.error_messages["invalid_choice"] = "Choose a node on the map."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("source") and cleaned.get("source") == cleaned.get("target"):
            self.add_error("target", "A relationship joins two different nodes: choose another.")
        return cleaned


class RemoveForm(forms.Form):
    why = forms.CharField(label="Why it is removed", required=False, max_length=200)


class ImportForm(forms.Form):
    FORMATS = [
        ("csv", "CSV: a nodes file, and an edges file if there are edges"),
        ("graphml", "GraphML (yEd, Gephi, Cytoscape)"),
        ("json", "Cytoscape JSON"),
    ]
    format = forms.ChoiceField(
        label="The file's format",
        choices=FORMATS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the file's format."},
    )
    file = forms.FileField(
        label="The file (the nodes file for CSV)",
        error_messages={"required": "Choose a file to import.", "empty": "The file is empty."},
    )
    edges = forms.FileField(label="The edges file (CSV only)", required=False)


class OnForm(forms.Form):
    on = DateField(label="The date to show the map on", required=False)


__all__ = ["EdgeForm", "ImportForm", "NodeForm", "NodeKind", "OnForm", "RemoveForm"]
