"""Shared fixtures: fresh stores per test; synthetic places generated once per session; places
loaded once per session and copied into each test (tests/place_templates.py); and the three users
every feature is checked against: Alice (council), Bob (health) and Charlie (police)."""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from placewise.synth.place import council_files, generate
from tests.place_templates import Template, build, restore

IN_CI = os.environ.get("CI") == "true"
AUTHENTICATOR_KEYS = {
    "alice": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    "bob": "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU",
}
PASSWORD = "correct-horse-battery"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A Spark test starts a JVM (minutes), and a DfE test runs the validators in an environment
    of their own: slow by nature, wherever they are written."""
    for item in items:
        if any(item.get_closest_marker(name) is not None for name in ("spark", "dfe")):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hashing() -> Iterator[None]:
    """Test passwords need not resist cracking: Django's deliberately slow hasher cost most of a
    second per user made and per sign-in. The production settings are checked in a process of
    their own (integration/test_security.py)."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


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


# --- Synthetic places: files generated once per session --------------------------------------


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


def shared_files(place: Path) -> list[Path]:
    """The council's census, the health trust's A&E file and the police's missing reports."""
    return [
        place / "council" / "cin_census.xml",
        place / "partners" / "health_ae_attendances.csv",
        place / "partners" / "police_missing_reports.csv",
    ]


@pytest.fixture
def place_copy(small_place: Path, tmp_path: Path) -> Path:
    """A copy of the small place that a test may change."""
    target = tmp_path / "place"
    shutil.copytree(small_place, target)
    return target


# --- Loaded places: built once per session, copied into each test ----------------------------
#
# Each template is built by the product's own code (ensure_person, the demo's agreement,
# ingest_many, `placewise link`) on a copy of the one below it:
#
#   organisations -> people -> agreement -> shared        (census, A&E, missing reports)
#                                        -> outcomes      (the 6,000-child place's returns)
#                                        -> council       (every file of the small place)
#                                             -> linked   (... and `placewise link` run)
#                           -> unshared                   (the three files, no agreement)
#
# A test asks for the function-scoped fixture (people, agreement, shared_place, outcome_loaded,
# council_loaded, linked_place, unshared_place): it gets the template's rows in its own database
# transaction and a copy of its stores in its own folder, so what it writes nobody else sees.


def _organisations() -> None:
    from placewise.demo import ORGANISATIONS
    from placewise.sharing.models import Organisation

    for name, kind in ORGANISATIONS.values():
        Organisation.objects.get_or_create(name=name, defaults={"kind": kind})


def _people() -> None:
    from django.utils import timezone

    from placewise.sharing import actions, actors
    from placewise.sharing.models import SecondFactor
    from placewise.sharing.permissions import Role

    orgs = _orgs()
    roles = {
        "alice": (
            "Alice Adeyemi",
            [(orgs["council"], Role.HEAD_OF_SERVICE), (orgs["council"], Role.DATA_OWNER)],
        ),
        "bob": ("Bob Bennett", [(orgs["health"], Role.ANALYST)]),
        "charlie": ("Charlie Chen", [(orgs["police"], Role.PRACTITIONER)]),
    }
    for username, (full_name, held) in roles.items():
        user = actions.ensure_person(
            username=username,
            password=PASSWORD,
            full_name=full_name,
            roles=held,
            by=actors.command_line(),
        )
        # Alice and Bob's roles require a second factor: give them authenticators, as a data
        # owner and an analyst would have. Charlie's role does not.
        if username in AUTHENTICATOR_KEYS:
            SecondFactor.objects.create(
                user=user, secret=AUTHENTICATOR_KEYS[username], confirmed_at=timezone.now()
            )


def _agreement() -> None:
    from django.contrib.auth import get_user_model

    from placewise.demo import _agreements

    _agreements(_orgs(), {"alice": get_user_model().objects.get(username="alice")})


def _orgs() -> dict[str, Any]:
    from placewise.demo import ORGANISATIONS
    from placewise.sharing.models import Organisation

    return {key: Organisation.objects.get(name=name) for key, (name, _) in ORGANISATIONS.items()}


def _loading(paths: Callable[[], list[Path]], *, link: bool = False) -> Callable[[], Any]:
    def load() -> Any:
        from placewise.cli import main
        from placewise.sharing import actors
        from placewise.sources.actions import ingest_many

        files = paths()
        outcomes = ingest_many(files, by=actors.command_line(), run_dfe=False) if files else []
        assert all(o.ok for o in outcomes), [(o.file.name, o.message) for o in outcomes]
        if link:
            assert main(["link", "--quiet"]) == 0
        return outcomes

    return load


@pytest.fixture(scope="session")
def organisations_template(django_db_setup, django_db_blocker) -> Template:
    return build("organisations", base=None, make=_organisations, blocker=django_db_blocker)


@pytest.fixture(scope="session")
def people_template(organisations_template, django_db_blocker) -> Template:
    return build("people", base=organisations_template, make=_people, blocker=django_db_blocker)


@pytest.fixture(scope="session")
def agreement_template(people_template, django_db_blocker) -> Template:
    return build("agreement", base=people_template, make=_agreement, blocker=django_db_blocker)


def _stores_template(name: str, base: Template, load: Callable[[], Any], factory, blocker):
    return build(name, base=base, folder=factory.mktemp(name), make=load, blocker=blocker)


@pytest.fixture(scope="session")
def shared_template(agreement_template, small_place, tmp_path_factory, django_db_blocker):
    load = _loading(lambda: shared_files(small_place))
    return _stores_template("shared", agreement_template, load, tmp_path_factory, django_db_blocker)


@pytest.fixture(scope="session")
def unshared_template(people_template, small_place, tmp_path_factory, django_db_blocker):
    load = _loading(lambda: shared_files(small_place))
    return _stores_template("unshared", people_template, load, tmp_path_factory, django_db_blocker)


@pytest.fixture(scope="session")
def outcome_template(agreement_template, outcome_place, tmp_path_factory, django_db_blocker):
    load = _loading(lambda: outcome_files(outcome_place))
    return _stores_template(
        "outcomes", agreement_template, load, tmp_path_factory, django_db_blocker
    )


@pytest.fixture(scope="session")
def council_template(agreement_template, small_place, tmp_path_factory, django_db_blocker):
    load = _loading(lambda: list(council_files(small_place)))
    return _stores_template(
        "council", agreement_template, load, tmp_path_factory, django_db_blocker
    )


@pytest.fixture(scope="session")
def linked_template(council_template, tmp_path_factory, django_db_blocker):
    load = _loading(lambda: [], link=True)
    return _stores_template("linked", council_template, load, tmp_path_factory, django_db_blocker)


@pytest.fixture
def applied_templates() -> set[str]:
    """The template layers this test has been given (each is written once)."""
    return set()


@pytest.fixture
def fresh_stores(request, settings, tmp_path: Path, applied_templates) -> Path:
    """Empty analytic store and enclave for this test, in a place whose organisations are set up
    (loads never create organisations, so a place is set up before anything loads)."""
    folder = tmp_path / "stores"
    folder.mkdir()
    settings.PLACEWISE_ANALYTIC_DB = folder / "analytic.duckdb"
    settings.PLACEWISE_ENCLAVE_DB = folder / "enclave.duckdb"
    if request.node.get_closest_marker("django_db") is not None:
        organisations = request.getfixturevalue("organisations_template")
        restore(organisations, folder, applied=applied_templates)
    return folder


@pytest.fixture
def people(db, people_template, applied_templates) -> dict[str, Any]:
    """Alice (council head of service and data owner), Bob (health analyst), Charlie (police)."""
    from django.contrib.auth import get_user_model

    restore(people_template, None, applied=applied_templates)
    users = get_user_model().objects.filter(username__in=("alice", "bob", "charlie"))
    return {"orgs": _orgs(), **{user.username: user for user in users}}


@pytest.fixture
def agreement(people, agreement_template, applied_templates):
    """The demo agreement: council and health trust share for safeguarding; police have none."""
    from placewise.demo import SAFEGUARDING_TITLE
    from placewise.sharing.models import Agreement

    restore(agreement_template, None, applied=applied_templates)
    return Agreement.objects.get(title=SAFEGUARDING_TITLE)


@pytest.fixture
def shared_place(small_place, fresh_stores, people, agreement, shared_template, applied_templates):
    """The council's census, the health trust's A&E file and the police's missing reports loaded
    under the demo agreement: ingest's outcomes, one per file."""
    restore(shared_template, fresh_stores, applied=applied_templates)
    return shared_template.result


@pytest.fixture
def unshared_place(small_place, fresh_stores, people, unshared_template, applied_templates):
    """The same three files loaded with no agreement in force: ingest's outcomes."""
    restore(unshared_template, fresh_stores, applied=applied_templates)
    return unshared_template.result


@pytest.fixture
def outcome_loaded(
    outcome_place, fresh_stores, people, agreement, outcome_template, applied_templates
):
    """The 6,000-child place's council returns and family survey loaded, under the agreement."""
    restore(outcome_template, fresh_stores, applied=applied_templates)
    return outcome_place


@pytest.fixture
def council_loaded(
    small_place, fresh_stores, people, agreement, council_template, applied_templates
):
    """Every file of the small place loaded (council_files' order), under the agreement."""
    restore(council_template, fresh_stores, applied=applied_templates)
    return small_place


@pytest.fixture
def linked_place(council_loaded, linked_template, fresh_stores, applied_templates):
    """The small place loaded and linked (`placewise link` run once)."""
    restore(linked_template, fresh_stores, applied=applied_templates)
    return council_loaded


# The loaded places, each after those it builds on. A test is given every one it uses before
# any other fixture can write a row, so the rows it writes itself come after the templates' (a
# module's own fixture of the same name, which loads by itself, then runs after them too).
LOADED = (
    "people",
    "agreement",
    "unshared_place",
    "shared_place",
    "outcome_loaded",
    "council_loaded",
    "linked_place",
)


@pytest.fixture(autouse=True)
def _loaded_first(request) -> None:
    for name in LOADED:
        if name in request.fixturenames:
            request.getfixturevalue(name)


# --- Helpers -----------------------------------------------------------------------------------


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


def first_child(small_place: Path) -> str:
    """A council child ID from the synthetic census (read from the file, not from our code)."""
    import re

    text = (small_place / "council" / "cin_census.xml").read_text()
    return re.search(r"<LAchildID>([^<]+)</LAchildID>", text).group(1)


@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings) -> None:
    """A job (an upload, a linkage run) runs as soon as it is queued, inside the request, so a
    test of a page that starts one sees how it ended. Tests of the queue itself
    (tests/integration/jobs/test_jobs.py) put the database backend back and run the worker's step."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Nothing in the cache may leak between tests (sign-in lockouts are counted in the database,
    which each test gets fresh). The shared cache is a table in the test database: a test that
    may not use the database cannot have written it, and one that commits (transactional_db)
    could leave rows for the next, so it is emptied inside the test's own database access."""
    from django.core.cache import caches

    caches["local"].clear()
    for access in ("transactional_db", "db"):
        if access in request.fixturenames:
            request.getfixturevalue(access)
            caches["default"].clear()
            break
    yield
    caches["local"].clear()
