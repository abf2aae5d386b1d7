import csv
import hashlib
from pathlib import Path

from openpyxl import load_workbook

from placewise.synth.place import generate


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes_and_another_seed_differs(tmp_path):
    generate(tmp_path / "a", children=150, years=2, seed=3)
    generate(tmp_path / "b", children=150, years=2, seed=3)
    generate(tmp_path / "c", children=150, years=2, seed=4)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a") != digest(tmp_path / "c")


def test_a_control_place_hides_nothing_and_is_otherwise_the_same_place(tmp_path):
    with_signals = generate(tmp_path / "a", children=300, years=2, seed=3)
    control = generate(tmp_path / "b", children=300, years=2, seed=3, signals=False)
    with (tmp_path / "a" / "_truth" / "signals.csv").open() as handle:
        assert len(list(csv.DictReader(handle))) == 10
    with (tmp_path / "b" / "_truth" / "signals.csv").open() as handle:
        assert list(csv.DictReader(handle)) == []
    # The same children (their births make the population file), not a different draw.
    population = [(tmp_path / d / "population.csv").read_bytes() for d in ("a", "b")]
    assert population[0] == population[1]
    assert control.children == with_signals.children


def test_ground_truth_names_the_person_behind_every_source_record(small_place):
    with (small_place / "_truth" / "persons.csv").open() as handle:
        truth = {(r["source"], r["record_id"]) for r in csv.DictReader(handle)}
    with (small_place / "partners" / "police_missing_reports.csv").open() as handle:
        police = {("northshire_police", r["Ref"]) for r in csv.DictReader(handle)}
    with (small_place / "partners" / "schools_attendance.csv").open() as handle:
        schools = {("northshire_schools", r["PupilID"]) for r in csv.DictReader(handle)}
    with (small_place / "council" / "ssda903" / "header.csv").open() as handle:
        council = {("council_csc", r["CHILD"]) for r in csv.DictReader(handle)}
    assert police <= truth and schools <= truth and council <= truth


def test_the_same_children_recur_across_sources(small_place):
    with (small_place / "_truth" / "persons.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    sources_per_person: dict[str, set[str]] = {}
    for row in rows:
        sources_per_person.setdefault(row["person_id"], set()).add(row["source"])
    in_three_or_more = sum(1 for s in sources_per_person.values() if len(s) >= 3)
    assert in_three_or_more > 20


def test_each_team_has_a_step_change_and_a_trend(small_place):
    with (small_place / "_truth" / "signals.csv").open() as handle:
        signals = list(csv.DictReader(handle))
    teams = {s["team"] for s in signals}
    assert len(teams) == 5
    for team in teams:
        assert {s["kind"] for s in signals if s["team"] == team} == {"step", "trend"}


def test_the_workbook_has_the_header_drift_real_ones_have(small_place):
    book = load_workbook(small_place / "council" / "annex_a.xlsx", read_only=True)
    headers = {ws.title: next(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    assert [ws for ws in headers] == [f"List {n}" for n in range(1, 12)]
    assert "Age" in headers["List 1"]
    assert any("\u2018Missing\u2019" in h for h in headers["List 8"])
    assert "Date of Adoption Order " in headers["List 10"]


def test_identifier_noise_is_present_but_bounded(small_place):
    """Partner records disagree with each other about names at a realistic, not absurd, rate."""
    with (small_place / "partners" / "schools_attendance.csv").open() as handle:
        schools = {r["PupilID"][2:]: (r["Forename"], r["Surname"]) for r in csv.DictReader(handle)}
    with (small_place / "partners" / "health_ae_attendances.csv").open() as handle:
        health = {r["MRN"][2:]: (r["GivenName"], r["FamilyName"]) for r in csv.DictReader(handle)}
    both = schools.keys() & health.keys()
    differ = sum(1 for k in both if schools[k] != health[k])
    assert both and 0.02 < differ / len(both) < 0.4


def test_the_council_case_system_extract_names_the_children_the_returns_do_not(small_place):
    with (small_place / "council" / "case_system_people.csv").open() as handle:
        people = {r["PersonID"]: r for r in csv.DictReader(handle)}
    with (small_place / "council" / "ssda903" / "header.csv").open() as handle:
        looked_after = {r["CHILD"] for r in csv.DictReader(handle)}
    assert looked_after <= set(people)
    assert all(p["Forename"] and p["Surname"] for p in people.values())
    header = (small_place / "council" / "ssda903" / "header.csv").read_text().splitlines()[0]
    assert "Forename" not in header  # the statutory return itself carries no names
