"""Mutated versions of valid files either load completely or are rejected with a reason and leave
the stores exactly as they were. Nothing crashes and nothing half-loads."""

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from placewise.sharing import actors
from placewise.sources.actions import ingest
from tests.conftest import store_snapshot

# 25 mutated files per format, each loaded: about 20 seconds in all.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

FILES = {
    "partner": "partners/police_domestic_abuse.csv",
    "ssda903": "council/ssda903/episodes.csv",
    "cin": "council/cin_census.xml",
    "annex_a": "council/annex_a.xlsx",
}


@st.composite
def mutation(draw: st.DrawFn, size: int) -> tuple[str, int, bytes]:
    kind = draw(st.sampled_from(["truncate", "overwrite", "insert", "delete_line", "add_field"]))
    at = draw(st.integers(min_value=0, max_value=max(size - 1, 0)))
    junk = draw(
        st.binary(min_size=1, max_size=40)
        | st.sampled_from(
            [b"31/02/2024", b",,,,", b"\n", b"\x00", b"<", b"&lol;", b"9999-99-99", b'"']
        )
    )
    return kind, at, junk


def mutate(data: bytes, kind: str, at: int, junk: bytes) -> bytes:
    if kind == "truncate":
        return data[:at]
    if kind == "overwrite":
        return data[:at] + junk + data[at + len(junk) :]
    if kind == "insert":
        return data[:at] + junk + data[at:]
    lines = data.split(b"\n")
    line = min(at % max(len(lines), 1), len(lines) - 1)
    if kind == "delete_line" and len(lines) > 2:
        del lines[max(line, 1)]
    elif kind == "add_field":
        lines[line] += b",surplus"
    return b"\n".join(lines)


@pytest.fixture
def originals(small_place: Path) -> dict[str, bytes]:
    return {name: (small_place / rel).read_bytes() for name, rel in FILES.items()}


@pytest.mark.parametrize("name", list(FILES))
def test_mutated_files_load_whole_or_not_at_all(
    name, originals, small_place, fresh_stores, tmp_path
):
    original = originals[name]
    mapping = small_place / FILES[name].replace(".csv", ".toml")

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(change=mutation(len(original)))
    def check(change: tuple[str, int, bytes]) -> None:
        path = tmp_path / Path(FILES[name]).name
        path.write_bytes(mutate(original, *change))
        if mapping.exists():
            shutil.copy(mapping, path.with_suffix(".toml"))
        before = store_snapshot()
        outcome = ingest(path, by=actors.command_line(), run_dfe=False)
        assert outcome.status in {"loaded", "rejected", "duplicate"}, outcome.message
        if outcome.status == "rejected":
            assert outcome.message
            assert store_snapshot() == before
        if outcome.status == "loaded":
            after = store_snapshot()
            new_events = len(after["events"]) - len(before["events"])
            # A later load supersedes what an earlier variant said of the same events (ADR 0016):
            # it adds its new and changed rows and takes away the rows they replaced.
            assert outcome.load is not None
            changed = outcome.load.changes["events"]
            # A statutory return also withdraws what began in its period and it no longer lists
            # (ADR 0020): a mutated start date is a new episode and the old one's withdrawal.
            withdrawn = (outcome.load.changes.get("omitted") or {}).get("replaced", 0)
            assert new_events == changed["added"] - changed["replaced"] - withdrawn
            assert changed["added"] + changed["unchanged"] == outcome.events

    check()
