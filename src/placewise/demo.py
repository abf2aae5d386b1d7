"""`placewise demo`: a synthetic place loaded through the real ingest path, set up through the same
actions an administrator's pages call (the place, organisations, people by invitation, data
owners, an agreement drafted and approved), and its demo users.

Ada is the administrator; Alice heads the council's children's services; Bob is an analyst at the NHS trust; Charlie is a
police officer with no role that sees data (later issues give the agreements that refuse him).
"""

import os
import secrets
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model

from placewise.approaches import demo_data as approaches_demo
from placewise.community import demo_data as community_demo
from placewise.governance import actions as governance
from placewise.governance.models import Place
from placewise.guide import demo_data as guide_demo
from placewise.initiatives import demo_data as initiatives_demo
from placewise.leadership import demo_data as leadership_demo
from placewise.linkage.run import CannotTrain, link
from placewise.practice import demo_data as practice_demo
from placewise.public import demo_data as public_demo
from placewise.service_reviews import demo_data as service_reviews_demo
from placewise.sharing import actions as sharing
from placewise.sharing import actors
from placewise.sharing.models import Agreement, Organisation
from placewise.sharing.permissions import Role
from placewise.sources.actions import ingest_many
from placewise.supervision import demo_data as supervision_demo
from placewise.surveys import demo_data as surveys_demo
from placewise.synth.place import council_files, generate
from placewise.systemmap import demo_data as systemmap_demo

ORGANISATIONS = {
    "council": (
        settings.PLACEWISE_COUNCIL_ORGANISATION,
        Organisation.Kind.COUNCIL_CHILDRENS_SERVICES,
    ),
    "health": ("Northshire NHS Foundation Trust", Organisation.Kind.NHS),
    "police": ("Northshire Police", Organisation.Kind.POLICE),
    "schools": ("Northshire Schools Partnership", Organisation.Kind.SCHOOL),
}


def demo_password() -> str:
    """PLACEWISE_DEMO_PASSWORD, or one made once for this place and kept in its home."""
    if given := os.environ.get("PLACEWISE_DEMO_PASSWORD"):
        return given
    path = Path(settings.PLACEWISE_HOME) / "secrets" / "demo_password"
    if not path.exists():
        path.parent.mkdir(mode=0o700, exist_ok=True)
        path.write_text(f"demo-{secrets.token_urlsafe(9)}")
        path.chmod(0o600)
    return path.read_text().strip()


COUNCIL_KINDS = [
    "referral",
    "assessment",
    "section_47",
    "cp_plan",
    "cin_episode",
    "cla_period",
    "cla_episode",
    "missing_episode",
]
HEALTH_KINDS = ["ae_attendance", "health_visitor_contact"]


def _join(username: str, full_name: str, organisation: Organisation, role: Role) -> Any:
    """Someone joins as a real person would: invited by the administrator, accepting the link."""
    existing = get_user_model().objects.filter(username=username).first()
    if existing is not None:
        return existing
    invited = governance.invite(
        full_name=full_name,
        username=username,
        email="",
        organisation=organisation,
        role=role,
        days=7,
        by=actors.demo_builder(),
    )
    return governance.accept_invitation(
        token=invited.token, password=demo_password(), by=actors.newcomer_by_link()
    )


def _agreements(orgs: dict[str, Organisation], users: dict[str, Any]) -> None:
    """The demo place's agreement: council and health trust share for safeguarding, drafted,
    filled in and approved by each data owner through the same actions the pages call. The
    police have none that covers health data, so Charlie is refused."""
    if Agreement.objects.filter(title=SAFEGUARDING_TITLE).exists():
        return
    council, health = orgs["council"], orgs["health"]
    # Bob is an analyst; the trust's named data owner is a separate person.
    owner = _join("dana", "Dana Okafor", health, Role.DATA_OWNER)
    governance.name_data_owner(
        organisation=council, person=users["alice"], by=actors.demo_builder()
    )
    governance.name_data_owner(organisation=health, person=owner, by=actors.demo_builder())
    agreement = sharing.draft_agreement(
        title=SAFEGUARDING_TITLE,
        purpose="The council and the NHS trust see each other's records of the same children so "
        "that safeguarding decisions are made with everything both know.",
        purpose_category=Agreement.Purpose.SAFEGUARDING,
        article6=Agreement.Article6.PUBLIC_TASK,
        article9=Agreement.Article9.HEALTH_SOCIAL_CARE,
        statutes="Children Act 1989 s17 and s47; Children Act 2004 s10 and s11",
        review_date=date.today().replace(year=date.today().year + 1),
        retention_days=365 * 7,
        parties=[(council, users["alice"]), (health, owner)],
        datasets=[],
        by=users["alice"],
    )
    shared = [
        (
            settings.PLACEWISE_COUNCIL_SOURCE,
            council,
            health,
            COUNCIL_KINDS,
            ["month_of_birth", "sex"],
        ),
        (
            "northshire_health",
            health,
            council,
            HEALTH_KINDS,
            ["month_of_birth", "sex", "postcode_sector"],
        ),
    ]
    for source, provider, recipient, kinds, fields in shared:
        sharing.add_dataset(
            agreement=agreement,
            source=source,
            provider=provider,
            recipient=recipient,
            level="person",
            event_kinds=kinds,
            fields=fields,
            by=users["alice"],
        )
    sharing.approve(agreement=agreement, organisation=council, by=users["alice"])
    sharing.approve(agreement=agreement, organisation=health, by=owner)


SAFEGUARDING_TITLE = "Northshire safeguarding information sharing"


def _practice_and_leadership(
    orgs: dict[str, Organisation], users: dict[str, Any], place: Path
) -> None:
    """Practice learning and leadership development, made through their apps' own actions:
    teams, supervisors and two rounds of peer reviews with supervision between them; a quarter
    of operational and strategic reviews; Alice's 4C plan half done, two coaching conversations
    with Dana, two 360 rounds and her team's culture scans."""
    today = date.today()
    council = orgs["council"]
    practitioners = practice_demo.build(
        council=council, head=users["alice"], place=place, join=_join, today=today
    )
    supervision_demo.build(council=council, today=today)
    service_reviews_demo.build(council=council, people=users, today=today)
    dana = get_user_model().objects.get(username="dana")
    leadership_demo.build(alice=users["alice"], coach=dana, today=today)
    surveys_demo.build(
        council=council,
        alice=users["alice"],
        colleagues=list(practitioners.values())[:5],
        today=today,
    )


def _system_and_community(orgs: dict[str, Organisation], users: dict[str, Any]) -> None:
    """System leadership and the community's side, through their apps' own actions: two
    initiatives on the trust/agreement map, the system map with the demo agreement drawn in, the
    residents' recycling guide with the gaps residents' searches found, the approaches library with
    two rounds of the place survey, a co-design engagement with its reach gaps and "you said, we
    did" page, and the public portal's signed-off figures."""
    today = date.today()
    dana = get_user_model().objects.get(username="dana")
    initiatives_demo.build(
        orgs=orgs, alice=users["alice"], bob=users["bob"], dana=dana, today=today
    )
    systemmap_demo.build(organisations=orgs, by=users["alice"])
    guide_demo.build(council=orgs["council"], editor=users["alice"], today=today)
    approaches_demo.build(enabler=users["alice"], today=today)
    community_demo.build(council=orgs["council"], alice=users["alice"], today=today)
    # Published figures: proposed by Bob, signed off by Alice (one left for Dana to sign off).
    public_demo.build(
        analyst=users["bob"],
        data_owner=users["alice"],
        agreement=Agreement.objects.get(title=SAFEGUARDING_TITLE),
        today=today,
    )


def build(
    *,
    children: int,
    years: int,
    seed: int,
    progress: Callable[..., Any],
    url: str = "http://127.0.0.1:8000/",
) -> None:
    password = demo_password()
    if not Place.objects.exists():
        governance.set_up_place(
            name="Northshire",
            council=ORGANISATIONS["council"][0],
            username="ada",
            full_name="Ada Administrator",
            password=password,
            by=actors.demo_builder(),
        )
    existing = set(Organisation.objects.values_list("name", flat=True))
    for name, kind in ORGANISATIONS.values():
        if name not in existing:
            governance.add_organisation(name=name, kind=kind, by=actors.demo_builder())
    orgs = {key: Organisation.objects.get(name=name) for key, (name, _) in ORGANISATIONS.items()}
    people = {
        "alice": ("Alice Adeyemi", orgs["council"], Role.HEAD_OF_SERVICE),
        "bob": ("Bob Bennett", orgs["health"], Role.ANALYST),
        "charlie": ("Charlie Chen", orgs["police"], Role.PRACTITIONER),
    }
    users = {
        username: _join(username, name, organisation, role)
        for username, (name, organisation, role) in people.items()
    }
    _agreements(orgs, users)
    place = Path(settings.PLACEWISE_HOME) / "synthetic-place"
    if not (place / "_truth" / "about.json").exists():
        print(f"Building a synthetic place of {children:,} children over {years} years in {place}")
        generate(place, children=children, years=years, seed=seed, progress=progress)
    files = list(council_files(place))
    for path, outcome in zip(
        files,
        ingest_many(files, by=actors.command_line(), progress=sys.stderr.isatty()),
        strict=True,
    ):
        print(f"  {path.relative_to(place)}: {outcome.message}")
    try:
        run = link(by=actors.command_line())
    except CannotTrain as untrained:
        # A very small place can leave the linkage model too little to learn from: the demo is
        # still usable without links, so say what happened and how to get them.
        print(f"  not linked: {untrained}")
        print("  (a demo of 1,000 children or more links: try --children 1000)")
    else:
        print(f"  linked {run.records:,} source records into {run.people:,} people")
    # The synthetic place's population of children, for rates per 10,000.
    population = place / "population.csv"
    if population.exists() and not settings.PLACEWISE_POPULATION_FILE.exists():
        settings.PLACEWISE_POPULATION_FILE.write_bytes(population.read_bytes())
    _practice_and_leadership(orgs, users, place)
    _system_and_community(orgs, users)
    print()
    print(f"placewise demo is ready at {url}")
    print("  ada     administrator: sets up organisations, people, sources (Set-up)")
    print("  alice   council head of service and data owner")
    print("  bob     health trust analyst (sees council data under the safeguarding agreement)")
    print("  charlie police officer (no agreement covers him: he is refused)")
    print("  dana    health trust data owner")
    print("  nina, dev, grace       council team managers: supervise, run peer reviews")
    print("  priya, tom, sara, liam, ellie, omar   council social workers (peer reviews)")
    print(f"  password for all of them: {password}")
    print("  (set PLACEWISE_DEMO_PASSWORD to choose it)")
