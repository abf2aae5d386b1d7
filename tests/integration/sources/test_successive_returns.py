"""Successive returns supersede each other (issue 13 item 3, ADR 0016): hand-made returns, each
expected value worked out by hand in the comments."""

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from placewise.sharing import actors
from placewise.sources.actions import ingest
from placewise.sources.models import Load
from placewise.store import stores
from placewise.store.pseudonymise import Tokeniser

pytestmark = pytest.mark.django_db

EPISODES = [
    "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
    "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
]  # fmt: skip


def episodes_file(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """An SSDA903 episodes table: (child, DECOM, DEC, REC) per episode, the rest fixed."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(EPISODES)
        for child, start, end, reason in rows:
            writer.writerow(
                [child, start, "S", "C2", "N1", "U1", "PR1", end, reason, "", "", "", ""]
            )
    return path


def episodes() -> list[tuple[str, date, date | None]]:
    with stores.analytic(read_only=True) as store:
        rows = store.execute(
            "SELECT token, start_date, end_date FROM events WHERE kind = 'cla_episode' "
            "ORDER BY start_date"
        ).fetchall()
    tokens = Tokeniser(settings.PLACE_SECRET)
    names = {tokens.token("council_csc", f"CH{n}"): f"CH{n}" for n in range(1, 10)}
    return [(names[token], start, end) for token, start, end in rows]


LAST_YEAR = [
    ("CH1", "01/05/2023", "", ""),  # open at the end of March 2024
    ("CH2", "10/01/2022", "30/06/2023", "E11"),  # began before the data; closed in the year
]
THIS_YEAR = [
    ("CH1", "01/05/2023", "15/08/2024", "E11"),  # the same episode (child and DECOM), now closed
    ("CH3", "01/10/2024", "", ""),
]


def test_an_episode_open_last_year_and_closed_this_year_is_one_closed_episode(
    fresh_stores, tmp_path
):
    first = ingest(
        episodes_file(tmp_path / "episodes_2024.csv", LAST_YEAR),
        by=actors.command_line(),
        run_dfe=False,
    )
    second = ingest(
        episodes_file(tmp_path / "episodes_2025.csv", THIS_YEAR),
        by=actors.command_line(),
        run_dfe=False,
    )
    assert (first.status, second.status) == ("loaded", "loaded")
    # CH1 once, with this year's end; CH2 kept (this year's return does not mention it); CH3.
    assert episodes() == [
        ("CH2", date(2022, 1, 10), date(2023, 6, 30)),
        ("CH1", date(2023, 5, 1), date(2024, 8, 15)),
        ("CH3", date(2024, 10, 1), None),
    ]
    assert second.load is not None and first.load is not None
    assert f"replaced 1 event from load {first.load.pk}" in second.message
    load = Load.objects.get(pk=second.load.pk)
    assert load.replaced == [("event", 1, first.load.pk)]
    assert load.changes["events"] == {
        "added": 2,
        "unchanged": 0,
        "replaced": 1,
        "replaced_from": {str(first.load.pk): 1},
    }
    # The 903 year each covers: the year (April to March) of what ended in it, to the March
    # after its latest date. Last year's: CH2 ended 30/06/2023 -> 1/4/2023 to 31/3/2024.
    assert (first.load.period_start, first.load.period_end) == (date(2023, 4, 1), date(2024, 3, 31))
    assert (load.period_start, load.period_end) == (date(2024, 4, 1), date(2025, 3, 31))
    # The history keeps what last year's return said of CH1's episode.
    with stores.analytic(read_only=True) as store:
        replaced = store.execute(
            "SELECT start_date, end_date, load_id, replaced_by FROM replaced_events"
        ).fetchall()
    assert replaced == [(date(2023, 5, 1), None, first.load.pk, second.load.pk)]


def test_a_byte_different_re_export_of_a_return_changes_nothing(fresh_stores, tmp_path):
    first = ingest(
        episodes_file(tmp_path / "a.csv", THIS_YEAR), by=actors.command_line(), run_dfe=False
    )
    before = episodes()
    # The same rows, re-exported with CRLF line ends: another file, the same content.
    again = tmp_path / "b.csv"
    again.write_bytes((tmp_path / "a.csv").read_bytes().replace(b"\n", b"\r\n"))
    second = ingest(again, by=actors.command_line(), run_dfe=False)
    assert second.status == "loaded" and second.load is not None and first.load is not None
    assert episodes() == before
    assert second.load.changes["events"]["unchanged"] == 2
    assert second.load.changes["events"]["added"] == 0
    assert second.load.replaced == []
    with stores.analytic(read_only=True) as store:
        assert store.execute("SELECT count(*) FROM replaced_events").fetchone()[0] == 0
        # Unchanged rows stay with the load that first said them.
        assert store.execute("SELECT DISTINCT load_id FROM events").fetchall() == [(first.load.pk,)]


MAPPING = """[source]
name = "police_missing"
organisation = "Northshire Police"
[identity]
record_id = "Ref"
given_name = "Forename"
family_name = "Surname"
date_of_birth = "DOB"
date_format = "%d/%m/%Y"
[[events]]
kind = "missing_report"
start = "Reported"
end = "Returned"
"""


def police_extract(path: Path, rows: list[tuple[str, str, str, str, str]]) -> Path:
    """A police extract: (reference, forename, date of birth, reported, returned) per row."""
    path.with_suffix(".toml").write_text(MAPPING, encoding="utf-8")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["Ref", "Forename", "Surname", "DOB", "Reported", "Returned"])
        for ref, name, born, reported, returned in rows:
            writer.writerow([ref, name, "Smith", born, reported, returned])
    return path


JANUARY = [
    ("P1", "Ann", "01/02/2010", "03/01/2025", ""),  # still missing when extracted
    ("P2", "Bea", "05/06/2011", "10/01/2025", "11/01/2025"),
]
FEBRUARY = [
    ("P1", "Anne", "01/02/2010", "03/01/2025", "04/01/2025"),  # returned; forename corrected
    ("P3", "Cal", "07/08/2012", "02/02/2025", "02/02/2025"),
]


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    """What each store holds now, but for which load said it."""
    with stores.analytic(read_only=True) as store:
        events = store.execute(
            "SELECT token, kind, start_date, end_date FROM events ORDER BY ALL"
        ).fetchall()
        records = store.execute("SELECT token, month_of_birth FROM records ORDER BY ALL").fetchall()
    with stores.enclave(read_only=True) as vault:
        identities = vault.execute(
            "SELECT record_id, given_name, date_of_birth FROM identities ORDER BY ALL"
        ).fetchall()
    return {"events": events, "records": records, "identities": identities}


def test_a_partner_extract_supersedes_the_last_one_identities_and_all(fresh_stores, tmp_path):
    first = ingest(
        police_extract(tmp_path / "jan.csv", JANUARY), by=actors.command_line(), run_dfe=False
    )
    second = ingest(
        police_extract(tmp_path / "feb.csv", FEBRUARY), by=actors.command_line(), run_dfe=False
    )
    assert (first.status, second.status) == ("loaded", "loaded"), second.message
    held = snapshot()
    # P1's report once, returned on the 4th; P2's kept; P3 new.
    assert sorted((e[2], e[3]) for e in held["events"]) == [
        (date(2025, 1, 3), date(2025, 1, 4)),
        (date(2025, 1, 10), date(2025, 1, 11)),
        (date(2025, 2, 2), date(2025, 2, 2)),
    ]
    assert held["identities"] == [
        ("P1", "Anne", date(2010, 2, 1)),
        ("P2", "Bea", date(2011, 6, 5)),
        ("P3", "Cal", date(2012, 8, 7)),
    ]
    assert second.load is not None and first.load is not None
    # P1's identity and its event were replaced; its record (month of birth) said again alike.
    assert second.load.changes["identities"]["replaced_from"] == {str(first.load.pk): 1}
    assert second.load.changes["events"]["replaced_from"] == {str(first.load.pk): 1}
    assert second.load.changes["records"]["unchanged"] == 1
    # An extract covers its events' own dates.
    assert (second.load.period_start, second.load.period_end) == (
        date(2025, 1, 3),
        date(2025, 2, 2),
    )
    with stores.enclave(read_only=True) as vault:
        assert vault.execute(
            "SELECT given_name, replaced_by FROM replaced_identities"
        ).fetchall() == [("Ann", second.load.pk)]


def test_a_correction_to_one_annex_a_row_replaces_that_rows_events_and_nothing_else(
    fresh_stores, tmp_path
):
    header = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Date of Contact",
              "Contact Source"]  # fmt: skip
    rows = [
        ["CH1", "M", "WBRI", "01/01/2015", "05/03/2025", "1A"],
        ["CH2", "F", "WBRI", "01/01/2016", "06/03/2025", "1B"],
        ["CH3", "F", "WBRI", "01/01/2017", "07/03/2025", "1A"],
    ]

    def contacts(name: str, body: list[list[str]]) -> Path:
        path = tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerows([header, *body])
        return path

    first = ingest(contacts("list1.csv", rows), by=actors.command_line(), run_dfe=False)
    corrected = [list(r) for r in rows]
    corrected[1][5] = "2A"  # CH2's contact came from another source
    second = ingest(
        contacts("list1-corrected.csv", corrected), by=actors.command_line(), run_dfe=False
    )
    assert (first.status, second.status) == ("loaded", "loaded"), second.message
    assert first.load is not None and second.load is not None
    assert second.load.changes["events"] == {
        "added": 1,
        "unchanged": 2,
        "replaced": 1,
        "replaced_from": {str(first.load.pk): 1},
    }
    assert second.load.changes["records"]["replaced"] == 0
    with stores.analytic(read_only=True) as store:
        held = store.execute("SELECT code, load_id FROM events ORDER BY start_date").fetchall()
    assert held == [("1A", first.load.pk), ("2A", second.load.pk), ("1A", first.load.pk)]


def test_status_reports_events_held_per_source_and_kind(fresh_stores, tmp_path, capsys):
    from placewise.cli import main
    from placewise.sources.queries import status

    ingest(episodes_file(tmp_path / "a.csv", LAST_YEAR), by=actors.command_line(), run_dfe=False)
    ingest(episodes_file(tmp_path / "b.csv", THIS_YEAR), by=actors.command_line(), run_dfe=False)
    report = status()
    assert report["events_held"] == [
        {"source": "council_csc", "kind": "cla_episode", "events": 3, "replaced": 1}
    ]
    assert report["loads"][1]["period"] == ["2024-04-01", "2025-03-31"]
    assert report["loads"][1]["changes"]["events"]["replaced"] == 1
    assert main(["status"]) == 0
    assert "council_csc cla_episode: 3 events held, 1 replaced by later loads" in (
        capsys.readouterr().out
    )


def test_the_data_area_shows_what_a_load_replaced_and_the_period_it_covers(
    client, people, fresh_stores, tmp_path
):
    first = ingest(
        episodes_file(tmp_path / "a.csv", LAST_YEAR), by=actors.command_line(), run_dfe=False
    )
    second = ingest(
        episodes_file(tmp_path / "b.csv", THIS_YEAR), by=actors.command_line(), run_dfe=False
    )
    assert first.load is not None and second.load is not None
    client.force_login(people["alice"])
    page = client.get(second.load.get_absolute_url()).content.decode()
    assert "This load replaced 1 event from" in page
    assert f'href="{first.load.get_absolute_url()}"' in page
    assert "1 April 2024 to 31 March 2025" in page
    sources = client.get(reverse("data:home")).context["sources"]
    assert [(s["source"], s["loads"], s["events"], s["replaced"]) for s in sources] == [
        ("council_csc", 2, 4, 1)  # four events loaded, one of them replaced by the second load
    ]


def test_indicators_count_only_months_the_returns_cover(fresh_stores, tmp_path):
    from placewise.indicators import compute
    from placewise.indicators.library import Indicator
    from placewise.store.queries import run

    ingest(episodes_file(tmp_path / "a.csv", LAST_YEAR), by=actors.command_line(), run_dfe=False)
    ingest(episodes_file(tmp_path / "b.csv", THIS_YEAR), by=actors.command_line(), run_dfe=False)

    def totals(method: str) -> dict[date, tuple[float, float]]:
        indicator = Indicator("x", "x", "x", method, "n", "d", "up", {"kind": "cla_episode"})
        query = compute.series(indicator)
        assert query is not None
        return {r["period"]: (r["numerator"], r["denominator"]) for r in run(query)}

    # Episodes starting per month: CH2's, January 2022, began before the returns' 903 years
    # (April 2023 on): known (it is open in them), but its month is not counted.
    assert totals("count") == {date(2023, 5, 1): (1, 1), date(2024, 10, 1): (1, 1)}
    # Episodes open at a month's start that closed in it: from April 2023, when the data begins,
    # to August 2024, when CH1's closed (CH3's began in October and is open).
    closed = totals("closed_in_month")
    assert min(closed) == date(2023, 4, 1) and max(closed) == date(2024, 8, 1)
    assert closed[date(2023, 4, 1)] == (0, 1)  # CH2's, which began before the data
    assert closed[date(2023, 6, 1)] == (1, 2)  # CH2's closed; CH1's open
    assert closed[date(2024, 8, 1)] == (1, 1)  # CH1's closed, as this year's return says


def test_retention_deletes_a_records_history_with_its_last_event(fresh_stores, tmp_path):
    from placewise.sources import retention

    ingest(police_extract(tmp_path / "jan.csv", JANUARY), by=actors.command_line(), run_dfe=False)
    ingest(police_extract(tmp_path / "feb.csv", FEBRUARY), by=actors.command_line(), run_dfe=False)
    # Cut at 20 January 2025 (the police source is in no agreement: 7 years' default):
    # P1's report (ended the 4th) and P2's (the 11th) go, and with P1 its replaced report and
    # its replaced identity (Ann); P3's (2 February) stays.
    cutoff = date(2025, 1, 20)
    (purged,) = retention.apply(
        today=cutoff + timedelta(days=settings.PLACEWISE_DEFAULT_RETENTION_DAYS),
        by=actors.command_line(),
    )
    assert (purged.events, purged.identities, purged.replaced) == (2, 2, 2)
    with stores.analytic(read_only=True) as store:
        assert store.execute("SELECT count(*) FROM replaced_events").fetchall() == [(0,)]
        assert store.execute("SELECT count(*) FROM replaced_records").fetchall() == [(0,)]
    with stores.enclave(read_only=True) as vault:
        assert vault.execute("SELECT count(*) FROM replaced_identities").fetchall() == [(0,)]
        assert vault.execute("SELECT record_id FROM identities").fetchall() == [("P3",)]


@pytest.mark.slow  # placewise run in processes of its own, one killed on purpose
@pytest.mark.parametrize("crash_at", ["enclave-committed", "analytic-committed"])
def test_a_crash_mid_commit_leaves_the_supersession_whole_or_undone(tmp_path, new_home, crash_at):
    """A real `placewise` process dies at a commit boundary while its extract replaces the last
    one's; after recovery the stores are as if it never ran (or, past the commit, as if it had
    finished), and loading it again ends where a clean run does."""
    from tests.integration.sources.processes import ingest, organisation, placewise

    police = organisation("Northshire Police", "police")
    january = police_extract(tmp_path / "jan.csv", JANUARY)
    february = police_extract(tmp_path / "feb.csv", FEBRUARY)

    def stores_of(home: Path) -> dict[str, list[tuple[object, ...]]]:
        import duckdb

        with duckdb.connect(str(home / "analytic.duckdb"), read_only=True) as store:
            events = store.execute(
                # Not the token: each home keys tokens with its own secret.
                "SELECT start_date, end_date FROM events ORDER BY ALL"
            ).fetchall()
            history = store.execute("SELECT count(*) FROM replaced_events").fetchall()
        with duckdb.connect(str(home / "enclave.duckdb"), read_only=True) as vault:
            names = vault.execute("SELECT record_id, given_name FROM identities ORDER BY ALL")
            identities = names.fetchall()
            replaced = vault.execute("SELECT count(*) FROM replaced_identities").fetchall()
        return {"events": events, "history": history, "identities": identities, "id": replaced}

    only_january = new_home("january", police, ingest(january))
    clean = new_home("clean", police, ingest(january), ingest(february))
    home = new_home("crashed", police, ingest(january))
    crashed = placewise(home, "ingest", "--no-dfe", "--quiet", str(february), crash_at=crash_at)
    assert crashed.returncode != 0
    assert placewise(home, "recover").returncode == 0
    expected = only_january if crash_at == "enclave-committed" else clean
    assert stores_of(home) == stores_of(expected)
    placewise(home, "ingest", "--no-dfe", "--quiet", str(february))
    assert stores_of(home) == stores_of(clean)


def test_a_corrected_start_date_leaves_one_episode_and_a_partner_omission_withdraws_nothing(
    fresh_stores, tmp_path
):
    """ADR 0020, wired into the load: a resubmitted 903 return whose DECOM for CH3 is corrected
    from 01/10/2024 to 03/10/2024 leaves one episode for CH3, not two (its period, April 2024 to
    March 2025, no longer lists the old start); CH1's episode began before the period and stays.
    A partner file that omits a report withdraws nothing: it may be one district's file."""
    first = ingest(
        episodes_file(tmp_path / "903.csv", THIS_YEAR), by=actors.command_line(), run_dfe=False
    )
    corrected = [THIS_YEAR[0], ("CH3", "03/10/2024", "", "")]
    second = ingest(
        episodes_file(tmp_path / "903_fixed.csv", corrected),
        by=actors.command_line(),
        run_dfe=False,
    )
    assert (first.status, second.status) == ("loaded", "loaded")
    assert first.load is not None and second.load is not None
    assert episodes() == [
        ("CH1", date(2023, 5, 1), date(2024, 8, 15)),
        ("CH3", date(2024, 10, 3), None),
    ]
    assert f"superseded 1 event from load {first.load.pk} that its period" in second.message

    north = police_extract(tmp_path / "north.csv", [("P1", "Ann", "01/02/2010", "03/01/2025", "")])
    south = police_extract(tmp_path / "south.csv", [("P2", "Bea", "01/03/2011", "04/01/2025", "")])
    assert ingest(north, by=actors.command_line(), run_dfe=False).status == "loaded"
    assert ingest(south, by=actors.command_line(), run_dfe=False).status == "loaded"
    with stores.analytic(read_only=True) as store:
        reports = store.execute(
            "SELECT count(*) FROM events WHERE kind = 'missing_report'"
        ).fetchone()[0]
    assert reports == 2
