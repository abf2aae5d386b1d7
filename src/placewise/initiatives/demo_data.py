"""The demo's initiatives (issue 19): a place project integrating health and social care for
children with complex needs, and an initiative on exploitation with the police. Stakeholders are
placed by two team members each, some differently; two moved from fence-sitter to ally; the
project's triangle is filled in and one warning shows (an authorising stakeholder whom Dana
places as a fence-sitter). Everything is written through initiatives.actions.

Called from placewise.demo.build once the people and the agreement exist (after `_agreements`,
which makes Dana):

    from placewise.initiatives import demo_data as initiatives_demo
    initiatives_demo.build(
        orgs=orgs,
        alice=users["alice"],
        bob=users["bob"],
        dana=User.objects.get(username="dana"),
        today=date.today(),
    )
"""

from datetime import date, timedelta

from django.contrib.auth.models import User

from placewise.initiatives import actions
from placewise.initiatives.models import Initiative, Stakeholder
from placewise.sharing.models import Agreement, Organisation

PROJECT = "Integrating health and social care"
INITIATIVE = "Tackling child exploitation together"


def build(
    *, orgs: dict[str, Organisation], alice: User, bob: User, dana: User, today: date
) -> None:
    """Idempotent: does nothing if the project already exists."""
    if Initiative.objects.filter(name=PROJECT).exists():
        return
    began = today - timedelta(days=150)
    _project(orgs, alice, dana, began, today)
    _initiative(orgs, alice, bob, began + timedelta(days=30), today)


def _add(initiative: Initiative, by: User, on: date, name: str, **kw: object) -> Stakeholder:
    return actions.add_stakeholder(
        initiative=initiative,
        kind=str(kw.get("kind", "person")),
        name=name,
        role=str(kw.get("role", "")),
        organisation=kw.get("organisation"),  # type: ignore[arg-type]
        organisation_name=str(kw.get("organisation_name", "")),
        authorising=bool(kw.get("authorises")),
        authorises=str(kw.get("authorises", "")),
        on=on,
        by=by,
    )


def _project(
    orgs: dict[str, Organisation], alice: User, dana: User, began: date, today: date
) -> None:
    project = actions.start(
        kind=Initiative.Kind.PROJECT,
        name=PROJECT,
        issue="Children with complex health needs waiting in hospital for a care package",
        organisation=orgs["council"],
        started_on=began,
        by=alice,
    )
    actions.add_partner(initiative=project, organisation=orgs["health"], by=alice)
    actions.add_member(initiative=project, user=dana, on=began, by=alice)
    actions.describe(
        initiative=project,
        public_value="Children with complex needs go home from hospital as soon as they are well, "
        "to a care package the family helped to plan, and are not referred to us again.",
        systems="One joint discharge panel; the trust's and the council's records of the same "
        "child seen together under the safeguarding agreement.",
        workforce="Two discharge coordinators, one from each side, with joint supervision.",
        leadership="Alice and Dana lead it together; the joint commissioning board holds it.",
        progress="The joint panel meets weekly; the first families have planned their packages.",
        by=alice,
    )
    people = {
        "board": _add(
            project,
            alice,
            began,
            "Joint commissioning board",
            kind="organisation",
            organisation_name="Northshire Integrated Care Board",
            authorises="Pooling the two budgets",
        ),
        "member": _add(
            project,
            alice,
            began,
            "Lead member for children",
            role="Councillor",
            organisation=orgs["council"],
            authorises="The council's share of the pooled budget",
        ),
        "nursing": _add(
            project,
            alice,
            began,
            "Director of nursing",
            role="Director",
            organisation=orgs["health"],
        ),
        "gp": _add(
            project,
            alice,
            began,
            "GP federation chair",
            role="Chair",
            organisation_name="Northshire GP Federation",
        ),
        "schools": _add(
            project,
            alice,
            began,
            "Special schools' heads",
            kind="organisation",
            organisation=orgs["schools"],
        ),
        "finance": _add(
            project, alice, began, "Trust finance director", organisation=orgs["health"]
        ),
    }
    first = began + timedelta(days=7)
    placed = {
        # name: (Alice's trust, agreement), (Dana's trust, agreement)
        "board": (("high", "high"), ("high", "high")),
        "member": (("high", "high"), ("low", "unknown")),
        "nursing": (("high", "high"), ("high", "high")),
        "gp": (("low", "unknown"), ("low", "unknown")),
        "schools": (("low", "unknown"), ("low", "unknown")),
        "finance": (("low", "low"), ("high", "low")),
    }
    for key, (by_alice, by_dana) in placed.items():
        for member, (trust, agreement) in ((alice, by_alice), (dana, by_dana)):
            actions.place(
                stakeholder=people[key],
                trust=trust,
                agreement=agreement,
                on=first,
                note="",
                by=member,
            )
    # The moves: the GP federation and the special schools came round after the joint panel
    # began, as both members saw.
    moved = began + timedelta(days=75)
    for key in ("gp", "schools"):
        for member in (alice, dana):
            actions.place(
                stakeholder=people[key],
                trust="high",
                agreement="high",
                on=moved,
                note="Came to the joint panel and offered to pilot it.",
                by=member,
            )
    shared = Agreement.objects.filter(status=Agreement.Status.ACTIVE).order_by("pk").first()
    actions.add_capacity(
        initiative=project,
        kind="data",
        description="Each child's records from both sides",
        agreement=shared,
        source=None,
        team="",
        by=alice,
    )
    actions.add_capacity(
        initiative=project,
        kind="people",
        description="Two discharge coordinators",
        agreement=None,
        source=None,
        team="Hospital social work",
        by=alice,
    )
    actions.add_measure(
        initiative=project,
        indicator="re_referrals_12_months",
        team="Place",
        direction="down",
        public_value=True,
        by=alice,
    )
    actions.add_milestone(
        initiative=project,
        title="Joint discharge panel meets weekly",
        due_on=began + timedelta(days=45),
        by=alice,
    )
    done = project.milestones.get()
    actions.reach_milestone(milestone=done, on=began + timedelta(days=40), by=alice)
    actions.add_milestone(
        initiative=project,
        title="Pooled budget agreed by both boards",
        due_on=today + timedelta(days=60),
        by=alice,
    )
    actions.plan_conversation(
        stakeholder=people["member"],
        description="Walk the lead member through the first families' packages and ask what "
        "they need to see before agreeing the pooled budget.",
        owner=dana,
        due_on=today + timedelta(days=21),
        on=today - timedelta(days=3),
        measure=None,
        by=alice,
    )


def _initiative(
    orgs: dict[str, Organisation], alice: User, bob: User, began: date, today: date
) -> None:
    found = actions.start(
        kind=Initiative.Kind.INITIATIVE,
        name=INITIATIVE,
        issue="",
        organisation=orgs["council"],
        started_on=began,
        by=alice,
    )
    actions.add_partner(initiative=found, organisation=orgs["police"], by=alice)
    actions.add_partner(initiative=found, organisation=orgs["health"], by=alice)
    actions.add_member(initiative=found, user=bob, on=began, by=alice)
    actions.describe(
        initiative=found,
        public_value="Fewer children go missing, and those who do are found and heard sooner.",
        systems="",
        workforce="",
        leadership="",
        progress="",
        by=alice,
    )
    inspector = _add(
        found,
        alice,
        began,
        "Detective inspector, exploitation",
        organisation=orgs["police"],
        authorises="Police time on the joint team",
    )
    youth = _add(found, alice, began, "Youth service manager", organisation=orgs["council"])
    on = began + timedelta(days=10)
    for member, (trust, agreement) in ((alice, ("high", "low")), (bob, ("high", "unknown"))):
        actions.place(
            stakeholder=inspector, trust=trust, agreement=agreement, on=on, note="", by=member
        )
    for member in (alice, bob):
        actions.place(stakeholder=youth, trust="low", agreement="high", on=on, note="", by=member)
    actions.add_measure(
        initiative=found,
        indicator="police_missing_looked_after",
        team="Place",
        direction="down",
        public_value=True,
        by=alice,
    )
