"""Shared fixtures: fresh stores per test, a small synthetic place built once, and the three users
every feature is checked against: Alice (council), Bob (health) and Charlie (police)."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from placewise.synth.place import generate

IN_CI = os.environ.get("CI") == "true"
AUTHENTICATOR_KEYS = {
    "alice": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    "bob": "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU",
}


@pytest.fixture
def client(client):
    """Django's test client, whose force_login stands for a completed sign-in, second factor
    included. Tests of the second factor itself sign in through the pages."""
    from placewise.sharing.second_factor import SESSION_KEY

    force_login = client.force_login

    def signed_in(user, backend=None):
        force_login(user, backend)
        session = client.session
        session[SESSION_KEY] = True
        session.save()

    client.force_login = signed_in
    return client


@pytest.fixture
def fresh_stores(request, settings, tmp_path: Path) -> Path:
    """Empty analytic store and enclave for this test, in a place whose organisations are set up
    (loads never create organisations, so a place is set up before anything loads)."""
    folder = tmp_path / "stores"
    folder.mkdir()
    settings.PLACEWISE_ANALYTIC_DB = folder / "analytic.duckdb"
    settings.PLACEWISE_ENCLAVE_DB = folder / "enclave.duckdb"
    if request.node.get_closest_marker("django_db") is not None:
        from placewise.demo import ORGANISATIONS
        from placewise.sharing.models import Organisation

        for name, kind in ORGANISATIONS.values():
            Organisation.objects.get_or_create(name=name, defaults={"kind": kind})
    return folder


@pytest.fixture(scope="session")
def small_place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic place of 400 children over 3 years (read-only: copy before changing files)."""
    out = tmp_path_factory.mktemp("place") / "northshire"
    generate(out, children=400, years=3, seed=7)
    return out


@pytest.fixture(scope="session")
def outcome_place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A place big enough for monthly indicators to have charts: 6,000 children over 3 years
    (the 400-child place has a handful of cases a month, which SPC rightly declines to read)."""
    out = tmp_path_factory.mktemp("place") / "northshire"
    generate(out, children=6000, years=3, seed=7)
    return out


def outcome_files(place: Path) -> list[Path]:
    """The files indicators are computed from: the council's returns and the family survey."""
    return [
        place / "council" / "annex_a.xlsx",
        place / "council" / "cin_census.xml",
        *sorted((place / "council" / "ssda903").glob("*.csv")),
        place / "partners" / "family_feedback.csv",
    ]


@pytest.fixture
def place_copy(small_place: Path, tmp_path: Path) -> Path:
    """A copy of the small place that a test may change."""
    target = tmp_path / "place"
    shutil.copytree(small_place, target)
    return target


@pytest.fixture
def people(db) -> dict[str, object]:
    """Alice (council head of service and data owner), Bob (health analyst), Charlie (police)."""
    from placewise.demo import ORGANISATIONS
    from placewise.sharing import actions
    from placewise.sharing.permissions import Role

    orgs = {
        key: actions.ensure_organisation(name=name, kind=kind, by="test")
        for key, (name, kind) in ORGANISATIONS.items()
    }
    found = {
        "orgs": orgs,
        "alice": actions.ensure_person(
            username="alice",
            password="correct-horse-battery",
            full_name="Alice Adeyemi",
            roles=[(orgs["council"], Role.HEAD_OF_SERVICE), (orgs["council"], Role.DATA_OWNER)],
            by="test",
        ),
        "bob": actions.ensure_person(
            username="bob",
            password="correct-horse-battery",
            full_name="Bob Bennett",
            roles=[(orgs["health"], Role.ANALYST)],
            by="test",
        ),
        "charlie": actions.ensure_person(
            username="charlie",
            password="correct-horse-battery",
            full_name="Charlie Chen",
            roles=[(orgs["police"], Role.PRACTITIONER)],
            by="test",
        ),
    }
    # Alice and Bob's roles require a second factor: give them authenticators, as a data owner
    # and an analyst would have. Charlie's role does not.
    from django.utils import timezone

    from placewise.sharing.models import SecondFactor

    for name in ("alice", "bob"):
        SecondFactor.objects.create(
            user=found[name], secret=AUTHENTICATOR_KEYS[name], confirmed_at=timezone.now()
        )
    return found


def store_snapshot() -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table in both stores, to prove a failed load changed nothing."""
    from placewise.store import stores

    snapshot: dict[str, list[tuple[object, ...]]] = {}
    with stores.analytic() as store:
        for table in ("loads", "records", "events"):
            snapshot[table] = sorted(
                map(tuple, store.execute(f"SELECT * FROM {table}").fetchall()), key=repr
            )
    with stores.enclave() as vault:
        snapshot["identities"] = sorted(
            map(tuple, vault.execute("SELECT * FROM identities").fetchall()), key=repr
        )
    return snapshot


@pytest.fixture(scope="session")
def liiatools_samples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The real-format sample files inside the liiatools wheel, fetched from PyPI at test time."""
    import subprocess
    import sys
    import zipfile

    folder = tmp_path_factory.mktemp("liiatools")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--quiet",
            "--dest",
            str(folder),
            "liiatools==0.2.0",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    wheels = list(folder.glob("liiatools-*.whl"))
    if result.returncode != 0 or not wheels:
        message = f"could not download the liiatools wheel: {result.stderr.strip()[-500:]}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    with zipfile.ZipFile(wheels[0]) as wheel:
        wheel.extractall(folder / "wheel")
    yield folder / "wheel" / "liiatools" / "spec"


@pytest.fixture
def agreement(people):
    """The demo agreement: council and health trust share for safeguarding; police have none."""
    from placewise.demo import SAFEGUARDING_TITLE, _agreements
    from placewise.sharing.models import Agreement

    _agreements(people["orgs"], {"alice": people["alice"]})
    return Agreement.objects.get(title=SAFEGUARDING_TITLE)


@pytest.fixture
def shared_place(small_place, fresh_stores, people, agreement):
    """The council's census and the health trust's A&E file loaded, under the demo agreement."""
    from placewise.sources.actions import ingest_many

    return ingest_many(
        [
            small_place / "council" / "cin_census.xml",
            small_place / "partners" / "health_ae_attendances.csv",
            small_place / "partners" / "police_missing_reports.csv",
        ],
        by=None,
        run_dfe=False,
    )


def first_child(small_place: Path) -> str:
    """A council child ID from the synthetic census (read from the file, not from our code)."""
    import re

    text = (small_place / "council" / "cin_census.xml").read_text()
    return re.search(r"<LAchildID>([^<]+)</LAchildID>", text).group(1)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Nothing in the cache may leak between tests (sign-in lockouts are counted in the database,
    which each test gets fresh)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
