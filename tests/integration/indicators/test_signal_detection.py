"""SPC finds the changes the synthetic place hid: each team's step change in assessment
timeliness, and its rising referrals. The ground truth is the generator's _truth/signals.csv.
bench/signals.py measures the same at 80,000 children, with false alarms against chance."""

import csv
from datetime import date

import pytest

from placewise.indicators import export, library, signals
from placewise.sharing import actors
from placewise.sources.actions import ingest_many
from placewise.synth.place import generate
from tests.conftest import outcome_files

# Generates and loads a 40,000-child place: minutes, so outside `make test-fast`.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MEASURES = {"assessment_working_days": "assessments_within_45_days", "referrals": "referrals"}


def test_injected_steps_and_trends_are_flagged_within_three_months(tmp_path, fresh_stores):
    place = tmp_path / "place"
    generate(place, children=40000, years=4, seed=3)
    ingest_many(outcome_files(place), by=actors.command_line(), run_dfe=False)
    found = {(s.indicator.key, s.team): s for s in signals.read(library.load(), export.table())}
    with (place / "_truth" / "signals.csv").open() as handle:
        truth = list(csv.DictReader(handle))
    # The generator hid a step and a trend in every team: a truth file with fewer (or none)
    # would make "every one was caught" true of nothing.
    teams = {"North", "South", "East", "West", "Central"}
    assert sorted((t["kind"], t["team"]) for t in truth) == sorted(
        (kind, team) for kind in ("step", "trend") for team in teams
    ), truth
    caught = {"step": [], "trend": []}
    for t in truth:
        signal = found.get((MEASURES[t["measure"]], t["team"]))
        assert signal is not None, f"no chart of {t['measure']} for team {t['team']}"
        start = date.fromisoformat(t["start_month"])
        window = [p for p in signal.chart.points if p.period >= start][:3]
        # A flag in the first three months that points the way the change went.
        worse = -1 if t["kind"] == "step" else +1  # fewer in time; more referrals
        caught[t["kind"]].append(any(p.rules and p.direction == worse for p in window))
    # Every one: a flag on one of the change's first three months, the chart read at the end of
    # the data (ADR 0010: runs and trends date a change from their first point).
    assert len(caught["step"]) == len(caught["trend"]) == len(teams)
    assert all(caught["step"]) and all(caught["trend"]), caught
