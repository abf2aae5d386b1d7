"""The DfE validators run on loads in their own environment; findings never block a load."""

import csv

import pytest

from placewise.sources import dfe
from placewise.sources.actions import ingest_many
from placewise.synth.place import council_files

pytestmark = [pytest.mark.django_db, pytest.mark.dfe]


@pytest.fixture(autouse=True)
def _validators_installed():
    # `make setup` creates .venv-dfe; its absence is a setup bug, not a reason to skip.
    assert dfe.available(), "DfE validators missing: run `make setup`"


def test_903_tables_are_validated_together_and_findings_point_at_rows(small_place, fresh_stores):
    tables = [p for p in council_files(small_place) if p.parent.name == "ssda903"]
    outcomes = ingest_many(tables, by=None)
    assert all(o.status == "loaded" for o in outcomes)
    findings = {o.detail: [i for i in o.issues if i.severity == "query"] for o in outcomes}
    assert findings["episodes"], "the DfE rules find something in any realistic episodes table"
    with (small_place / "council" / "ssda903" / "episodes.csv").open() as handle:
        rows = len(list(csv.reader(handle)))
    for issue in findings["episodes"]:
        assert issue.rule.startswith("DfE ")
        assert issue.row is None or 2 <= issue.row <= rows


def test_the_cin_census_is_validated(small_place, fresh_stores):
    (outcome,) = ingest_many([small_place / "council" / "cin_census.xml"], by=None)
    assert outcome.status == "loaded"
    queries = [i for i in outcome.issues if i.severity == "query"]
    # Synthetic UPNs are deliberately not real ones: the DfE check-letter rule must say so.
    assert any(i.rule == "DfE 1510" for i in queries)
    assert outcome.load.issues.filter(severity="query").exists()
