"""Re-keying the place secret: every token and person key recomputed under a new secret, in the
enclave, the analytic store, the opt-out register and the clerical review queue, all or nothing.

A token is HMAC(secret, source, record ID) and the enclave holds each token's source and record ID,
so every token it knows can be recomputed. An opt-out has no row there (the register keeps only
a token, and opting out takes the person's records out of the stores), nor has a record loaded
with no identity (Annex A's adopters): their references must be given, or the re-keying is
refused, naming the sources (an opt-out silently lost would load a person who said no).

Three databases cannot commit together, so a journal in the home (the new secret's fingerprint and
the old-to-new maps, tokens only) makes it one unit. The commit point is the new secret replacing
the old in the home; the operational database commits just after. Interrupted before that point,
`settle()` maps the stores back; after it, `settle()` maps what is left forward. The old and new
tokens are disjoint, so mapping either way is idempotent.
"""

import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.db import transaction

from placewise.linkage.models import PairReview
from placewise.sharing.models import OptOut
from placewise.store import stores
from placewise.store.pseudonymise import JOURNAL, Tokeniser, fingerprint, secret_file
from placewise.store.pseudonymise import VARIABLE as VARIABLE

# Every column holding a token, per store; person_links' person keys are keyed too.
ANALYTIC_TOKENS = ("records", "events", "replaced_records", "replaced_events", "person_links")
ENCLAVE_TOKENS = ("identities", "replaced_identities", "person_links")


_SELECT_TOKENS = "SELECT DISTINCT token, {source} FROM {table}"
_UPDATE_TOKENS = "UPDATE {table} SET token = m.new FROM token_map m WHERE {table}.token = m.old"


class RekeyRefused(Exception):
    """A re-keying that cannot be done, with the reason; nothing was changed."""


@dataclass(frozen=True)
class Maps:
    tokens: pa.Table  # old, new
    person_keys: pa.Table  # old, new


def journal() -> Path:
    return Path(settings.PLACEWISE_HOME) / JOURNAL


def _known(old: Tokeniser, new: Tokeniser, references: Iterable[tuple[str, str]]) -> dict:
    """old token → new token, for every record the enclave knows and every reference given."""
    with stores.enclave(read_only=True) as vault:
        rows = vault.execute(
            "SELECT DISTINCT token, source, record_id FROM identities UNION "
            "SELECT DISTINCT token, source, record_id FROM replaced_identities"
        ).fetchall()
    wrong = sum(1 for token, source, record in rows if old.token(source, record) != token)
    if wrong:
        raise RekeyRefused(
            f"{wrong:,} records in the enclave are not keyed with this place's secret: is "
            "PLACEWISE_HOME the home these stores belong to?"
        )
    mapping = {token: new.token(source, record) for token, source, record in rows}
    for source, reference in references:
        mapping[old.token(source, reference)] = new.token(source, reference)
    return mapping


def _held_tokens() -> dict[str, dict[str, str]]:
    """Every token held anywhere, with the source it belongs to, by where it is held."""
    held: dict[str, dict[str, str]] = {}
    for open_store, name, tables in (
        (stores.analytic, "analytic store", ANALYTIC_TOKENS),
        (stores.enclave, "enclave", ENCLAVE_TOKENS),
    ):
        with open_store(read_only=True) as store:
            for table in tables:
                # person_links name no source: their tokens are the enclave's identities'.
                source = "'?'" if table == "person_links" else "source"
                select = _SELECT_TOKENS.format(source=source, table=table)
                rows = store.execute(select).fetchall()  # nosec B608  # fixed names
                held[f"{name} {table}"] = dict(rows)
    held["opt-out register"] = dict(OptOut.objects.values_list("token", "source"))
    pairs = PairReview.objects.values_list("token_l", "source_l", "token_r", "source_r")
    held["clerical review queue"] = {t: s for a, b, c, d in pairs for t, s in ((a, b), (c, d))}
    return held


def plan(new_secret: str, references: Iterable[tuple[str, str]]) -> Maps:
    """The maps from old tokens and person keys to new ones; refused, naming the sources, if any
    token held cannot be recomputed. Call it holding the load lock."""
    old, new = Tokeniser(str(settings.PLACE_SECRET)), Tokeniser(new_secret)
    mapping = _known(old, new, references)
    unknown: dict[str, set[str]] = {}
    for where, tokens in _held_tokens().items():
        for token, source in tokens.items():
            if token not in mapping:
                unknown.setdefault(f"{source} ({where})", set()).add(token)
    if unknown:
        raise RekeyRefused(
            "tokens with no record in the enclave to recompute them from: "
            + "; ".join(f"{len(t):,} of {where}" for where, t in sorted(unknown.items()))
            + ". Give their references with --references FILE (CSV: source,reference): "
            "opt-outs from the record of the requests (the register keeps only a token), "
            "records loaded with no identity (as Annex A's adopters) from the file they came from"
        )
    with stores.enclave(read_only=True) as vault:
        links = vault.execute("SELECT token, person_key FROM person_links").fetchall()
    clusters: dict[str, list[str]] = {}
    for token, person in links:
        clusters.setdefault(person, []).append(mapping[token])
    people = {person: new.person_key(min(tokens)) for person, tokens in clusters.items()}
    return Maps(
        pa.table({"old": list(mapping), "new": list(mapping.values())}),
        pa.table({"old": list(people), "new": list(people.values())}),
    )


def start(new_secret: str, maps: Maps) -> None:
    """Write the journal: what `settle()` needs to finish or undo the re-keying."""
    folder = journal()
    folder.mkdir(mode=0o700)
    pq.write_table(maps.tokens, folder / "tokens.parquet")
    pq.write_table(maps.person_keys, folder / "person_keys.parquet")
    pending = folder / "place_secret"
    pending.write_text(new_secret)
    pending.chmod(0o600)
    (folder / "journal.json").write_text(json.dumps({"new": fingerprint(new_secret)}))


def _stores(maps: Maps, *, forward: bool) -> None:
    old, new = ("old", "new") if forward else ("new", "old")
    tokens = maps.tokens.rename_columns([old, new]).select(["old", "new"])
    people = maps.person_keys.rename_columns([old, new]).select(["old", "new"])
    for open_store, tables in (
        (stores.enclave, ENCLAVE_TOKENS),
        (stores.analytic, ANALYTIC_TOKENS),
    ):
        with open_store() as store:
            store.register("token_map", tokens)
            store.register("person_map", people)
            store.execute("BEGIN")
            for table in tables:
                store.execute(_UPDATE_TOKENS.format(table=table))  # nosec B608  # a fixed name
            store.execute(
                "UPDATE person_links SET person_key = m.new FROM person_map m "
                "WHERE person_links.person_key = m.old"
            )
            store.execute("COMMIT")


def _operational(maps: Maps) -> None:
    """The opt-out register and the review queue, in the caller's transaction."""
    mapping = dict(zip(*(maps.tokens.column(c).to_pylist() for c in ("old", "new")), strict=True))
    for entry in OptOut.objects.filter(token__in=list(mapping)):
        OptOut.objects.filter(pk=entry.pk).update(token=mapping[entry.token])
    for pair in PairReview.objects.filter(token_l__in=list(mapping)):
        left, right = mapping[pair.token_l], mapping[pair.token_r]
        sources = (pair.source_l, pair.source_r)
        if right < left:  # the queue keeps each pair in order
            left, right, sources = right, left, sources[::-1]
        PairReview.objects.filter(pk=pair.pk).update(
            token_l=left, token_r=right, source_l=sources[0], source_r=sources[1]
        )


def apply(maps: Maps) -> None:
    """Re-key the stores and, in the caller's transaction, the operational database; then make
    the new secret the place's (the commit point). On any error the stores are mapped back."""
    try:
        _operational(maps)
        _stores(maps, forward=True)
        os.replace(journal() / "place_secret", secret_file())
    except BaseException:
        _stores(maps, forward=False)
        shutil.rmtree(journal())
        raise


def _read(folder: Path) -> Maps:
    return Maps(
        pq.read_table(folder / "tokens.parquet"), pq.read_table(folder / "person_keys.parquet")
    )


def settle() -> str | None:
    """Finish or undo a re-keying a crash interrupted: 'finished', 'undone' or None (none was)."""
    folder = journal()
    if not folder.exists():
        return None
    # Under the lock: a server and a worker starting together may both find the journal.
    with stores.load_lock():
        if not (folder / "journal.json").exists():
            shutil.rmtree(folder, ignore_errors=True)  # died before the journal was whole
            return None
        new = json.loads((folder / "journal.json").read_text())["new"]
        maps = _read(folder)
        committed = fingerprint(secret_file().read_text().strip()) == new
        if committed:
            with transaction.atomic():
                _operational(maps)
            _stores(maps, forward=True)
            settings.PLACE_SECRET = secret_file().read_text().strip()
        else:
            _stores(maps, forward=False)
        shutil.rmtree(folder)
    return "finished" if committed else "undone"
