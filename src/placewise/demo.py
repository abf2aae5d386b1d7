"""`placewise demo`: a synthetic place loaded through the real ingest path, and three demo users.

Alice heads the council's children's services; Bob is an analyst at the NHS trust; Charlie is a
police officer with no role that sees data (later issues give the agreements that refuse him).
"""

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings

from placewise.sharing import actions as sharing
from placewise.sharing.models import Organisation
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


def build(*, children: int, years: int, seed: int, progress: Callable[..., Any]) -> None:
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
    for username, (name, roles) in people.items():
        sharing.ensure_person(
            username=username, password=password, full_name=name, roles=roles, by="demo"
        )
    place = Path(settings.PLACEWISE_HOME) / "synthetic-place"
    if not (place / "_truth" / "about.json").exists():
        print(f"Building a synthetic place of {children:,} children over {years} years in {place}")
        generate(place, children=children, years=years, seed=seed, progress=progress)
    files = list(council_files(place))
    for path, outcome in zip(files, ingest_many(files, by=None, progress=progress), strict=True):
        print(f"  {path.relative_to(place)}: {outcome.message}")
    print()
    print("placewise demo is ready at http://127.0.0.1:8000/")
    print("  sign in as alice (council head of service), bob (health analyst) or charlie (police)")
    print(f"  password: {password}")
    print("  (set PLACEWISE_DEMO_PASSWORD to choose it)")
