"""The place's system map (issue 19, item 2): what people drew, kept as an append-only list of
changes. Nothing is ever updated or deleted: a node or edge as it stands is its latest change,
and the map on any date is the changes made up to the end of that day (queries.drawn).

Edges the software already knows (agreements in force, loaded sources, initiatives'
stakeholders) are not stored here: queries.derived works them out from the data on every
request, so they cannot fall out of step with it."""

from django.conf import settings
from django.db import models


class NodeKind(models.TextChoices):
    ORGANISATION = "organisation", "Organisation"
    TEAM = "team", "Team"
    SERVICE = "service", "Service"
    COMMUNITY_GROUP = "community_group", "Community group"
    PERSON = "person", "Person"
    ISSUE = "issue", "Issue"
    # Drawn from the data only: a source some file has been loaded into.
    SOURCE = "source", "Data source"
    # Drawn from the initiatives app only: an initiative, with its stakeholders around it.
    INITIATIVE = "initiative", "Initiative"


# The kinds a person may draw (a data source is drawn from the loads).
DRAWN_NODE_KINDS = tuple(k for k in NodeKind if k not in (NodeKind.SOURCE, NodeKind.INITIATIVE))


class EdgeKind(models.TextChoices):
    COMMISSIONS = "commissions", "commissions"
    REFERS_TO = "refers_to", "refers to"
    SHARES_DATA = "shares_data", "shares data with"
    FUNDS = "funds", "funds"
    INFLUENCES = "influences", "influences"
    # Causal links: more of the one means more (same, +) or less (opposite, −) of the other.
    SAME = "causal_same", "causes more of (+)"
    OPPOSITE = "causal_opposite", "causes less of (−)"
    # Drawn from the data only: an organisation provides a source.
    PROVIDES = "provides", "provides data in"
    # Drawn from initiatives: a stakeholder of an initiative.
    STAKEHOLDER = "stakeholder", "is a stakeholder in"


CAUSAL = frozenset({EdgeKind.SAME, EdgeKind.OPPOSITE})
# Kinds a person may draw by hand; the others are the data's.
DRAWN_EDGE_KINDS = tuple(k for k in EdgeKind if k not in (EdgeKind.PROVIDES, EdgeKind.STAKEHOLDER))


class Change(models.Model):
    """One change to one node or edge of the drawn map: its whole new state, or its removal."""

    class Element(models.TextChoices):
        NODE = "node", "Node"
        EDGE = "edge", "Edge"

    element = models.CharField(max_length=10, choices=Element.choices)
    key = models.CharField(max_length=120)
    removed = models.BooleanField(default=False)
    # A node: label, kind, notes, sources. An edge: source, target (node keys), kind, notes,
    # sources. Empty when removed.
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_name = models.CharField(max_length=150)
    why = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["element", "key"])]

    def __str__(self) -> str:
        verb = "removed" if self.removed else "set"
        return f"{self.element} {self.key} {verb} by {self.by_name}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("the system map's changes are kept as they were made: add another")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("the system map's changes are kept as they were made")
