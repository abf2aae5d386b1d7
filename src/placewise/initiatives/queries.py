"""Reads for initiatives: the trust and agreement map with each member's placement kept apart,
the history of moves between Block's groups, the strategic triangle's warnings, and the edges the
system map draws from each initiative's stakeholders."""

from dataclasses import dataclass, field
from datetime import date

from placewise.initiatives import blocks
from placewise.initiatives.models import Initiative, Placement, Stakeholder
from placewise.initiatives.visibility import Viewer, visible
from placewise.sources.models import Load


def _name(user: object) -> str:
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or getattr(user, "username", ""))


@dataclass(frozen=True)
class StakeholderEdge:
    """An initiative's stakeholder, as the system map draws it: initiative → stakeholder."""

    initiative_pk: int
    initiative: str
    stakeholder_pk: int
    stakeholder: str
    kind: str  # "person" or "organisation"
    role: str
    organisation_pk: int | None  # the sharing.Organisation, where the software knows it
    organisation: str
    authorising: bool
    # The group the team places them in now: one group where every member agrees, else "mixed"
    # (the members differ), or "" where nobody has placed them yet.
    group: str


def stakeholder_edges(viewer: Viewer | None = None) -> list[StakeholderEdge]:
    """Every initiative's stakeholders as edges (only the initiatives the viewer may see, when a
    viewer is given)."""
    initiatives = visible(viewer) if viewer is not None else Initiative.objects.all()
    stakeholders = (
        Stakeholder.objects.filter(initiative__in=initiatives)
        .select_related("initiative", "organisation")
        .order_by("initiative_id", "pk")
    )
    edges = []
    for s in stakeholders:
        groups = {g.key for g in current(s).values()}
        edges.append(
            StakeholderEdge(
                initiative_pk=s.initiative_id,
                initiative=s.initiative.name,
                stakeholder_pk=s.pk,
                stakeholder=s.name,
                kind=s.kind,
                role=s.role,
                organisation_pk=s.organisation_id,
                organisation=s.organisation_label,
                authorising=s.authorising,
                group=groups.pop() if len(groups) == 1 else ("mixed" if groups else ""),
            )
        )
    return edges


def current(stakeholder: Stakeholder, on: date | None = None) -> dict[str, blocks.Group]:
    """Each team member's latest placement of the stakeholder (on or before `on`), as a group,
    keyed by the member's name: kept apart, never averaged."""
    found: dict[str, blocks.Group] = {}
    placements = stakeholder.placements.select_related("placed_by").order_by("placed_on", "pk")
    if on is not None:
        placements = placements.filter(placed_on__lte=on)
    for p in placements:
        found[_name(p.placed_by)] = blocks.group_of(p.trust, p.agreement)
    return found


@dataclass
class MapEntry:
    stakeholder: Stakeholder
    by_member: dict[str, blocks.Group]

    @property
    def groups(self) -> list[blocks.Group]:
        return list(dict.fromkeys(self.by_member.values()))

    @property
    def agreed(self) -> bool:
        return len(self.groups) == 1

    @property
    def spread(self) -> str:
        """How the team's placements spread, in words."""
        if not self.by_member:
            return "Not placed yet."
        if self.agreed:
            n = len(self.by_member)
            who = "the one member who placed them" if n == 1 else f"all {n} members who did"
            return f"{self.groups[0].name} to {who}."
        return (
            "Placed differently: "
            + "; ".join(f"{member}: {group.one}" for member, group in self.by_member.items())
            + "."
        )


@dataclass
class MapGroup:
    group: blocks.Group
    entries: list[MapEntry] = field(default_factory=list)


def trust_map(initiative: Initiative) -> tuple[list[MapGroup], list[MapEntry]]:
    """Block's groups, each with the stakeholders some team member places in it (a stakeholder
    placed differently by two members appears under both groups), and those not placed yet."""
    groups = {g.key: MapGroup(g) for g in blocks.GROUPS}
    unplaced = []
    for s in initiative.stakeholders.select_related("organisation"):
        entry = MapEntry(s, current(s))
        if not entry.by_member:
            unplaced.append(entry)
        for g in entry.groups:
            groups[g.key].entries.append(entry)
    return list(groups.values()), unplaced


@dataclass(frozen=True)
class Move:
    stakeholder: Stakeholder
    member: str
    on: date
    before: blocks.Group
    after: blocks.Group


def moves(initiative: Initiative) -> list[Move]:
    """Every change of group in one member's placements of a stakeholder, oldest first."""
    found = []
    last: dict[tuple[int, int], blocks.Group] = {}
    placements = (
        Placement.objects.filter(stakeholder__initiative=initiative)
        .select_related("stakeholder", "placed_by")
        .order_by("placed_on", "pk")
    )
    for p in placements:
        group = blocks.group_of(p.trust, p.agreement)
        key = (p.stakeholder_id, p.placed_by_id)
        before = last.get(key)
        if before is not None and before != group:
            found.append(Move(p.stakeholder, _name(p.placed_by), p.placed_on, before, group))
        last[key] = group
    return found


def move_sentences(initiative: Initiative) -> list[str]:
    """The moves told as sentences: "3 stakeholders moved from fence-sitter to ally since March
    2026", one for each pair of groups, counting each stakeholder once (whoever placed them) and
    dated from the first such move."""
    pairs: dict[tuple[str, str], tuple[set[int], date]] = {}
    names: dict[str, blocks.Group] = {}
    for m in moves(initiative):
        key = (m.before.key, m.after.key)
        names[m.before.key], names[m.after.key] = m.before, m.after
        seen, since = pairs.get(key, (set(), m.on))
        seen.add(m.stakeholder.pk)
        pairs[key] = (seen, min(since, m.on))
    sentences = []
    for (before, after), (seen, since) in pairs.items():
        n = len(seen)
        sentences.append(
            f"{n} stakeholder{'' if n == 1 else 's'} moved from {names[before].one} to "
            f"{names[after].one} since {since:%B %Y}"
        )
    return sentences


def source_loaded(source_name: str) -> bool:
    return Load.objects.filter(source=source_name, status=Load.Status.LOADED).exists()


def warnings(initiative: Initiative, today: date) -> list[str]:
    """Where Moore's three corners are out of line, in words."""
    found = []
    if not initiative.public_value.strip():
        found.append(
            "No public value is stated: say what value this work creates for the public before "
            "asking anyone to authorise it or give it capacity."
        )
    for s in initiative.stakeholders.filter(authorising=True).order_by("name", "pk"):
        for member, group in current(s).items():
            if group in (blocks.ADVERSARIES, blocks.FENCE_SITTERS):
                found.append(
                    f"{s.name} must authorise this work, and {member} places them as "
                    f"{'an' if group.one[0] in 'aeiou' else 'a'} {group.one}."
                )
    for c in initiative.capacities.select_related("agreement", "source"):
        if c.agreement is not None and not c.agreement.in_force(today):
            found.append(
                f"{c.get_kind_display()} capacity '{c.description}' depends on the agreement "
                f"'{c.agreement}', which is not in force ({c.agreement.get_status_display()}"
                f"{f', ends {c.agreement.ends_on:%-d %B %Y}' if c.agreement.ends_on else ''})."
            )
        if c.source is not None and not source_loaded(c.source.name):
            found.append(
                f"{c.get_kind_display()} capacity '{c.description}' depends on the source "
                f"'{c.source.name}', which has no load yet."
            )
    if not initiative.measures.filter(public_value=True).exists():
        found.append(
            "No indicator is tied to the public value: name one, so that whether the value is "
            "being delivered can be seen."
        )
    return found


def authorising(initiative: Initiative) -> list[MapEntry]:
    """The authorising environment: stakeholders who must permit the work, with their placement."""
    return [
        MapEntry(s, current(s))
        for s in initiative.stakeholders.filter(authorising=True).select_related("organisation")
    ]
