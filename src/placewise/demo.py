"""`placewise demo`: a synthetic place loaded through the real ingest path, and three demo users.

Alice heads the council's children's services; Bob is an analyst at the NHS trust; Charlie is a
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

from placewise.linkage.run import link
from placewise.sharing import actions as sharing
from placewise.sharing.models import Agreement, Organisation
from placewise.sharing.permissions import Role
from placewise.sources.actions import ingest_many
from placewise.synth.place import council_files, generate

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


def _agreements(orgs: dict[str, Organisation], users: dict[str, Any]) -> None:
    """The demo place's agreement: council and health trust share for safeguarding. The police
    have none that covers health data, so Charlie is refused."""
    if Agreement.objects.filter(title=SAFEGUARDING_TITLE).exists():
        return
    council, health = orgs["council"], orgs["health"]
    # Bob is an analyst; the trust's named data owner is a separate person.
    owner = sharing.ensure_person(
        username="dana",
        password=demo_password(),
        full_name="Dana Okafor",
        roles=[(health, Role.DATA_OWNER)],
        by="demo",
    )
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
        datasets=[
            {
                "source": settings.PLACEWISE_COUNCIL_SOURCE,
                "provider": council,
                "recipient": health,
                "level": "person",
                "event_kinds": COUNCIL_KINDS,
                "fields": ["month_of_birth", "sex"],
            },
            {
                "source": "northshire_health",
                "provider": health,
                "recipient": council,
                "level": "person",
                "event_kinds": HEALTH_KINDS,
                "fields": ["month_of_birth", "sex", "postcode_sector"],
            },
        ],
        by="demo",
    )
    sharing.approve(agreement=agreement, organisation=council, by=users["alice"])
    sharing.approve(agreement=agreement, organisation=health, by=owner)


SAFEGUARDING_TITLE = "Northshire safeguarding information sharing"


def build(
    *,
    children: int,
    years: int,
    seed: int,
    progress: Callable[..., Any],
    url: str = "http://127.0.0.1:8000/",
) -> None:
    orgs = {
        key: sharing.ensure_organisation(name=name, kind=kind, by="demo")
        for key, (name, kind) in ORGANISATIONS.items()
    }
    password = demo_password()
    people = {
        "alice": (
            "Alice Adeyemi",
            [(orgs["council"], Role.HEAD_OF_SERVICE), (orgs["council"], Role.DATA_OWNER)],
        ),
        "bob": ("Bob Bennett", [(orgs["health"], Role.ANALYST)]),
        "charlie": ("Charlie Chen", [(orgs["police"], Role.PRACTITIONER)]),
    }
    users = {
        username: sharing.ensure_person(
            username=username, password=password, full_name=name, roles=roles, by="demo"
        )
        for username, (name, roles) in people.items()
    }
    _agreements(orgs, users)
    place = Path(settings.PLACEWISE_HOME) / "synthetic-place"
    if not (place / "_truth" / "about.json").exists():
        print(f"Building a synthetic place of {children:,} children over {years} years in {place}")
        generate(place, children=children, years=years, seed=seed, progress=progress)
    files = list(council_files(place))
    for path, outcome in zip(
        files, ingest_many(files, by=None, progress=sys.stderr.isatty()), strict=True
    ):
        print(f"  {path.relative_to(place)}: {outcome.message}")
    run = link()
    print(f"  linked {run.records:,} source records into {run.people:,} people")
    # The synthetic place's population of children, for rates per 10,000.
    population = place / "population.csv"
    if population.exists() and not settings.PLACEWISE_POPULATION_FILE.exists():
        settings.PLACEWISE_POPULATION_FILE.write_bytes(population.read_bytes())
    print()
    print(f"placewise demo is ready at {url}")
    print("  alice   council head of service and data owner")
    print("  bob     health trust analyst (sees council data under the safeguarding agreement)")
    print("  charlie police officer (no agreement covers him: he is refused)")
    print("  dana    health trust data owner")
    print(f"  password for all four: {password}")
    print("  (set PLACEWISE_DEMO_PASSWORD to choose it)")
