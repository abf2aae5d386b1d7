"""The demo place's system map (issue 19), drawn through the app's own actions: the teams,
services, community groups, people and issues around the partners, how they work together, and
a causal-loop view of demand and workforce with two reinforcing loops and one balancing one.
The agreements and loaded sources are not drawn here: the map draws them from the data."""

from django.contrib.auth.models import User

from placewise.sharing.models import Organisation
from placewise.systemmap import actions
from placewise.systemmap.models import Change, EdgeKind, NodeKind

NODES = (
    ("mash", "Multi-agency safeguarding hub (MASH)", NodeKind.TEAM, "The front door for concerns."),
    ("early_help", "Early help service", NodeKind.SERVICE, "Family hubs and key workers."),
    ("cwd", "Children with disabilities team", NodeKind.TEAM, ""),
    ("camhs", "CAMHS", NodeKind.SERVICE, "Child and adolescent mental health, run by the trust."),
    ("youth_forum", "Northshire Youth Forum", NodeKind.COMMUNITY_GROUP, "Meets termly."),
    ("food_bank", "Northshire Food Bank", NodeKind.COMMUNITY_GROUP, ""),
    ("dsp", "Designated safeguarding leads", NodeKind.PERSON, "One in every school."),
    ("caseloads", "Social work caseloads", NodeKind.ISSUE, ""),
    ("leaving", "Social workers leaving", NodeKind.ISSUE, ""),
    ("agency", "Agency social workers", NodeKind.ISSUE, ""),
    ("cost", "Spending on agency staff", NodeKind.ISSUE, ""),
    ("early", "Early help offered", NodeKind.ISSUE, ""),
    ("referrals", "Referrals to children's social care", NodeKind.ISSUE, ""),
)

# (from, kind, to, notes); org:council and the like name the place's organisations.
EDGES = (
    ("org:schools", EdgeKind.REFERS_TO, "mash", "Most referrals come from schools."),
    ("org:police", EdgeKind.REFERS_TO, "mash", "Police protection notices, every day."),
    ("org:health", EdgeKind.REFERS_TO, "mash", ""),
    ("dsp", EdgeKind.REFERS_TO, "mash", ""),
    ("mash", EdgeKind.REFERS_TO, "early_help", "Step-down after a strategy discussion."),
    ("org:council", EdgeKind.COMMISSIONS, "early_help", ""),
    ("org:health", EdgeKind.COMMISSIONS, "camhs", ""),
    ("org:council", EdgeKind.FUNDS, "food_bank", "Holiday activities and food grant."),
    ("youth_forum", EdgeKind.INFLUENCES, "org:council", "Sat on the early help strategy board."),
    ("early_help", EdgeKind.REFERS_TO, "camhs", ""),
    ("cwd", EdgeKind.REFERS_TO, "camhs", ""),
    # Causal loops. Reinforcing (0 −): more caseload, more leave, more caseload.
    ("caseloads", EdgeKind.SAME, "leaving", "Exit interviews, 2025."),
    ("leaving", EdgeKind.SAME, "caseloads", ""),
    # Reinforcing (2 −): leaving → agency → cost → (−) early help → (−) referrals → caseloads.
    ("leaving", EdgeKind.SAME, "agency", ""),
    ("agency", EdgeKind.SAME, "cost", ""),
    ("cost", EdgeKind.OPPOSITE, "early", "Money spent on agency staff is not spent on early help."),
    ("early", EdgeKind.OPPOSITE, "referrals", ""),
    ("referrals", EdgeKind.SAME, "caseloads", ""),
    # Balancing (1 −): more referrals, more early help offered, fewer referrals.
    ("referrals", EdgeKind.SAME, "early", "The step-down route grows with demand."),
)


def build(*, organisations: dict[str, Organisation], by: User) -> None:
    """Idempotent: does nothing once anything has been drawn. `organisations` is the demo's
    {"council": …, "health": …, "police": …, "schools": …}; `by` someone who may change the
    map (the demo's Alice, a head of service)."""
    if Change.objects.exists():
        return
    keys = {f"org:{name}": f"org:{org.pk}" for name, org in organisations.items()}
    for name, label, node_kind, notes in NODES:
        keys[name] = actions.put_node(
            label=label,
            kind=node_kind,
            notes=notes,
            sources="Drawn at the partnership's system mapping workshop",
            by=by,
        ).key
    for source, kind, target, notes in EDGES:
        actions.put_edge(source=keys[source], target=keys[target], kind=kind, notes=notes, by=by)
