"""`placewise rekey` (issue 16, item 5): every token and person key is recomputed under a new place
secret, all or nothing, and the old secret is retired. Afterwards a new load of the same people
links to the old records, and nothing anywhere still holds an old token."""

import csv
import hashlib
import hmac
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.apps import apps

from placewise.cli import main
from placewise.config import server
from placewise.jobs import workers
from placewise.linkage.run import link
from placewise.operations import actions, rekey
from placewise.outcomes import data
from placewise.sharing import actors
from placewise.sharing.models import AuditEntry, OptOut
from placewise.sharing.opt_outs import opt_out
from placewise.sources.actions import ingest_many
from placewise.sources.models import Load
from placewise.store import stores
from placewise.store.pseudonymise import SecretChanged
from tests.conftest import store_snapshot
from tests.integration.store.test_two_store_writes import Crash, crash_at

pytestmark = pytest.mark.django_db
HEALTH = "northshire_health"
NEVER_LOADED = "RX9999999"
HEX = re.compile(r"PK[0-9a-f]{20}|[0-9a-f]{32}")


def _token(secret: str, source: str, reference: str) -> str:
    """Worked out here from the definition (HMAC-SHA256 of source, unit separator, record ID;
    the first 32 hex digits), not by the code under test."""
    message = f"{source}\x1f{reference}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def _everything_held() -> set[str]:
    """Every token-shaped or person-key-shaped string in every column of every table of both
    stores and of the operational database."""
    found: set[str] = set()
    for open_store in (stores.analytic, stores.enclave):
        with open_store(read_only=True) as store:
            for (table,) in store.execute("SELECT table_name FROM duckdb_tables()").fetchall():
                for row in store.execute(f"SELECT * FROM {table}").fetchall():
                    found.update(HEX.findall(repr(row)))
    for model in apps.get_models():
        for row in model._base_manager.values_list():
            found.update(HEX.findall(repr(row)))
    return found


def _health_file(place: Path, folder: Path) -> Path:
    """The trust's A&E attendances again, each a day later: the same people, a new extract (the
    same file twice would be recognised and not loaded)."""
    source = place / "partners" / "health_ae_attendances.csv"
    with source.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        later = datetime.strptime(row["AttendanceDate"], "%Y-%m-%d") + timedelta(days=1)
        row["AttendanceDate"] = later.strftime("%Y-%m-%d")
    out = folder / "health_ae_attendances.csv"
    with out.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    (folder / "health_ae_attendances.toml").write_text(
        (place / "partners" / "health_ae_attendances.toml").read_text()
    )
    return out


@pytest.fixture
def home(settings, tmp_path) -> Path:
    settings.PLACEWISE_HOME = tmp_path / "home"
    (settings.PLACEWISE_HOME / "secrets").mkdir(parents=True)
    (settings.PLACEWISE_HOME / "secrets" / "place_secret").write_text(settings.PLACE_SECRET)
    settings.PLACE_SECRET = settings.PLACE_SECRET  # put back after the test, which changes it
    return settings.PLACEWISE_HOME


def test_after_rekeying_a_new_load_links_to_the_old_records_and_no_old_token_is_left(
    linked_place, home, settings, tmp_path
):
    old_secret = settings.PLACE_SECRET
    with (linked_place / "partners" / "health_ae_attendances.csv").open(newline="") as handle:
        refs = [row["MRN"] for row in csv.DictReader(handle)]
    with stores.enclave(read_only=True) as vault:
        old_tokens = {
            row[0] for row in vault.execute("SELECT token FROM identities").fetchall()
        } | {row[0] for row in vault.execute("SELECT person_key FROM person_links").fetchall()}
        # Loaded, then opted out: the enclave knows them.
        opted = vault.execute(
            "SELECT min(record_id) FROM identities WHERE source = ?", [HEALTH]
        ).fetchone()[0]
    assert opted in refs
    opt_out(source=HEALTH, reference=opted, secret=old_secret, by=actors.command_line())
    opt_out(source=HEALTH, reference=NEVER_LOADED, secret=old_secret, by=actors.command_line())
    old_tokens.add(_token(old_secret, HEALTH, NEVER_LOADED))
    assert old_tokens <= _everything_held()  # what the scan must no longer find

    # Opting out takes the person's records out of the stores: the register's references are
    # given again, from the data protection officer's record of the requests.
    references = [(HEALTH, opted), (HEALTH, NEVER_LOADED)]
    done = actions.rekey(opt_out_references=references, by=actors.command_line())
    assert rekey.settle() == "finished"  # the command clears the journal so

    new_secret = (home / "secrets" / "place_secret").read_text()
    assert new_secret != old_secret and new_secret == settings.PLACE_SECRET
    assert not _everything_held() & old_tokens
    assert not any(
        old_secret in p.read_text(errors="ignore") for p in home.rglob("*") if p.is_file()
    )
    assert set(OptOut.objects.values_list("token", flat=True)) == {
        _token(new_secret, HEALTH, opted),
        _token(new_secret, HEALTH, NEVER_LOADED),
    }
    entry = AuditEntry.objects.get(action="place_secret.rekey")
    assert (
        entry.actor == actors.command_line().get_username()
        and entry.detail["tokens"] == done.tokens
    )
    assert old_secret not in repr(entry.detail) and new_secret not in repr(entry.detail)

    (outcome,) = ingest_many(
        [_health_file(linked_place, tmp_path)], by=actors.command_line(), run_dfe=False
    )
    assert outcome.ok, outcome.message
    held_back = rf"\b{refs.count(opted):,} rows? held back \(opted out of sharing\)"
    assert re.search(held_back, outcome.message), outcome.message
    with stores.analytic(read_only=True) as store:
        new_tokens = {
            row[0]
            for row in store.execute(
                "SELECT DISTINCT token FROM events WHERE load_id = ?", [outcome.load.pk]
            ).fetchall()
        }
        linked = {row[0] for row in store.execute("SELECT token FROM person_links").fetchall()}
        across = store.execute(
            "SELECT count(DISTINCT a.token) FROM person_links a JOIN person_links b "
            "USING (person_key) JOIN events e ON e.token = b.token "
            "WHERE a.token IN (SELECT unnest(?::VARCHAR[])) AND e.source <> ?",
            [sorted(new_tokens), HEALTH],
        ).fetchone()[0]
    expected = {_token(new_secret, HEALTH, ref) for ref in refs if ref != opted}
    assert new_tokens and new_tokens <= expected
    assert new_tokens <= linked  # each is a record the last linkage run placed in a person
    assert across > 0  # and some of those people are known to other partners too


def test_an_opt_out_needs_its_reference_given_again(linked_place, home, settings):
    opt_out(
        source=HEALTH,
        reference=NEVER_LOADED,
        secret=settings.PLACE_SECRET,
        by=actors.command_line(),
    )
    before = (store_snapshot(), list(OptOut.objects.values_list("token", flat=True)))
    with pytest.raises(
        rekey.RekeyRefused,
        match=r"1 of northshire_health \(opt-out register\)\. Give their references with --references",
    ):
        actions.rekey(by=actors.command_line())
    assert (store_snapshot(), list(OptOut.objects.values_list("token", flat=True))) == before
    assert (home / "secrets" / "place_secret").read_text() == settings.PLACE_SECRET
    assert not rekey.journal().exists()


def test_a_rekeying_interrupted_before_its_commit_point_is_undone(linked_place, home, settings):
    before = store_snapshot()
    maps = rekey.plan("a new secret of the place, for this test", [])
    rekey.start("a new secret of the place, for this test", maps)
    rekey._stores(maps, forward=True)  # the process dies here, before the secret is replaced
    assert store_snapshot() != before

    assert rekey.settle() == "undone"
    assert store_snapshot() == before
    assert (home / "secrets" / "place_secret").read_text() == settings.PLACE_SECRET
    assert not rekey.journal().exists()


def test_a_rekeying_interrupted_after_its_commit_point_is_finished(linked_place, home, settings):
    opt_out(
        source=HEALTH,
        reference=NEVER_LOADED,
        secret=settings.PLACE_SECRET,
        by=actors.command_line(),
    )
    new_secret = "a new secret of the place, for this test"
    maps = rekey.plan(new_secret, [(HEALTH, NEVER_LOADED)])
    rekey.start(new_secret, maps)
    rekey._stores(maps, forward=True)
    (rekey.journal() / "place_secret").replace(home / "secrets" / "place_secret")
    # The process dies here: the new secret is the place's, the register not yet re-keyed.
    assert OptOut.objects.get().token == _token(settings.PLACE_SECRET, HEALTH, NEVER_LOADED)

    assert rekey.settle() == "finished"
    assert OptOut.objects.get().token == _token(new_secret, HEALTH, NEVER_LOADED)
    assert new_secret == settings.PLACE_SECRET
    with stores.enclave(read_only=True) as vault:
        source, record, token = vault.execute(
            "SELECT source, record_id, token FROM identities LIMIT 1"
        ).fetchone()
    assert token == _token(new_secret, source, record)
    assert not rekey.journal().exists()


def test_an_opt_outs_file_with_a_bad_row_is_refused_naming_it(home, tmp_path, capsys):
    bad = tmp_path / "optouts.csv"
    bad.write_text("source,reference\nnorthshire_health,RX0000001\nnorthshire_health\n")
    before = (home / "secrets" / "place_secret").read_text()
    assert main(["rekey", "--references", str(bad)]) == 1
    assert f"{bad}, row 3: expected two columns, source and reference" in capsys.readouterr().err
    assert (home / "secrets" / "place_secret").read_text() == before
    assert not AuditEntry.objects.filter(action="place_secret.rekey").exists()


def test_a_linkage_runs_person_keys_are_the_ones_rekeying_recomputes(linked_place, settings):
    """Linkage and re-keying share one definition of a person key (store/pseudonymise.py): each
    person's key is worked out here from that definition (SHA-256 of the secret, "person" and the
    cluster's first token, unit-separated; "PK" and 20 hex digits) for the lowest token in each
    cluster, the record Splink names the cluster after, as re-keying assumes."""
    with stores.enclave(read_only=True) as vault:
        links = vault.execute("SELECT token, person_key FROM person_links").fetchall()
    clusters: dict[str, list[str]] = {}
    for token, person in links:
        clusters.setdefault(person, []).append(token)
    assert len(clusters) > 1 and any(len(tokens) > 1 for tokens in clusters.values())
    for person, tokens in clusters.items():
        text = f"{settings.PLACE_SECRET}\x1fperson\x1f{min(tokens)}"
        assert person == "PK" + hashlib.sha256(text.encode()).hexdigest()[:20]


def test_serve_settles_an_interrupted_rekeying_before_it_starts_its_worker(
    linked_place, home, settings, monkeypatch, capsys
):
    new_secret = "a new secret of the place, for this test"
    maps = rekey.plan(new_secret, [])
    rekey.start(new_secret, maps)
    rekey._stores(maps, forward=True)
    (rekey.journal() / "place_secret").replace(home / "secrets" / "place_secret")
    # The process dies here, after the commit point. Then the service is started again: what
    # `serve` does after settling (its worker, the indicators, gunicorn) is stood in for.
    seen: dict[str, object] = {}
    monkeypatch.setattr(
        workers, "start_beside_server", lambda: seen.setdefault("journal", rekey.journal().exists())
    )
    monkeypatch.setattr(data, "all_signals", lambda: [])
    monkeypatch.setattr(data, "published_for_partners", lambda: {})
    monkeypatch.setattr(server, "run", lambda **given: seen.setdefault("port", given["port"]))
    capsys.readouterr()

    assert main(["serve", "--port", "8778"]) == 0
    assert "a re-keying interrupted earlier was finished" in capsys.readouterr().out
    assert seen == {"journal": False, "port": "8778"}  # settled before the worker started
    assert new_secret == settings.PLACE_SECRET
    with stores.enclave(read_only=True) as vault:
        source, record, token = vault.execute(
            "SELECT source, record_id, token FROM identities LIMIT 1"
        ).fetchone()
    assert token == _token(new_secret, source, record)


def test_a_process_that_outlived_a_rekeying_or_finds_one_unsettled_refuses_to_load_or_link(
    linked_place, home, settings, tmp_path
):
    before, loads = store_snapshot(), Load.objects.count()
    # A re-keying died part-way and nothing has settled it: the opt-out register may still
    # hold old tokens, so a load could let in someone who opted out.
    rekey.journal().mkdir()
    with pytest.raises(SecretChanged, match=r"interrupted and is not settled yet.*placewise serve"):
        ingest_many([_health_file(linked_place, tmp_path)], by=actors.command_line(), run_dfe=False)
    rekey.journal().rmdir()
    # Another process re-keyed the place while this one ran: the home holds the new secret,
    # this process still the one it started with.
    (home / "secrets" / "place_secret").write_text("the secret another process re-keyed to")
    restart = r"changed \(re-keyed\) after this process started.*Restart placewise serve"
    with pytest.raises(SecretChanged, match=restart):
        ingest_many([_health_file(linked_place, tmp_path)], by=actors.command_line(), run_dfe=False)
    with pytest.raises(SecretChanged, match=restart):
        link(by=actors.command_line())
    assert store_snapshot() == before
    assert Load.objects.count() == loads  # not even a failed load: nothing was staged

    # Restarted, it reads the secret in the home, and loads.
    settings.PLACE_SECRET = "the secret another process re-keyed to"
    (outcome,) = ingest_many(
        [_health_file(linked_place, tmp_path)], by=actors.command_line(), run_dfe=False
    )
    assert outcome.ok, outcome.message


def test_rekeying_settles_a_write_left_in_the_stores_journal_first(
    linked_place, home, settings, monkeypatch
):
    """A linkage run died between the stores (ADR 0028): the enclave holds its links and, as a
    before image, the last run's, under the old secret. Re-keying recovers first, so the before
    image is put back and re-keyed with everything else, not left to come back with old keys."""
    old_secret = settings.PLACE_SECRET
    with stores.enclave(read_only=True) as vault:
        old_links = vault.execute("SELECT token, person_key FROM person_links").fetchall()
    old_tokens = {token for token, _ in old_links} | {key for _, key in old_links}
    assert old_links
    crash_at(monkeypatch, "enclave-committed")
    with pytest.raises(Crash), stores.load_lock():
        # Every link dropped: the enclave's part commits, the analytic store's never does.
        whole = [stores.Replace("person_links")]
        stores.replace(kind="link", in_enclave=whole, in_analytic=whole)
    monkeypatch.undo()
    with stores.enclave(read_only=True) as vault:
        assert vault.execute("SELECT count(*) FROM person_links").fetchone()[0] == 0
        assert vault.execute("SELECT count(*) FROM commit_journal").fetchone()[0] == 1

    actions.rekey(by=actors.command_line())
    assert rekey.settle() == "finished"

    recovered, rekeyed = AuditEntry.objects.filter(
        action__in=["store.recover", "place_secret.rekey"]
    ).order_by("pk")
    assert (recovered.action, recovered.detail) == ("store.recover", {"write": "link"})
    assert rekeyed.action == "place_secret.rekey"
    new_secret = settings.PLACE_SECRET
    assert new_secret != old_secret
    with stores.enclave(read_only=True) as vault:
        assert vault.execute("SELECT count(*) FROM commit_journal").fetchone()[0] == 0
        # The last run's links are back, each token the one its record has under the new secret.
        relinked = vault.execute(
            "SELECT l.token, i.source, i.record_id FROM person_links l "
            "JOIN identities i USING (token)"
        ).fetchall()
        links_now = vault.execute("SELECT count(*) FROM person_links").fetchone()[0]
    assert links_now == len(old_links)
    assert relinked and all(t == _token(new_secret, s, r) for t, s, r in relinked)
    with stores.analytic(read_only=True) as store:
        assert store.execute("SELECT count(*) FROM person_links").fetchone()[0] == len(old_links)
    assert not _everything_held() & old_tokens
