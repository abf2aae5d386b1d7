"""The DfE validators run on loads in their own environment; findings never block a load."""

import csv
import re
from pathlib import Path

import pytest

from placewise.sharing import actors
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
    outcomes = ingest_many(tables, by=actors.command_line())
    assert all(o.status == "loaded" for o in outcomes)
    findings = {o.detail: [i for i in o.issues if i.severity == "query"] for o in outcomes}
    assert findings["episodes"], "the DfE rules find something in any realistic episodes table"
    with (small_place / "council" / "ssda903" / "episodes.csv").open() as handle:
        rows = len(list(csv.reader(handle)))
    for issue in findings["episodes"]:
        assert issue.rule.startswith("DfE ")
        assert issue.row is None or 2 <= issue.row <= rows


# The DfE validator's own example of a UPN with the wrong check letter (rule 1510's test):
# written by hand, so the test does not lean on the synth's or the product's arithmetic.
WRONG_CHECK_LETTER = "R247962919251"


def _with_one_upn_broken(census: Path, copy: Path) -> str:
    """Copy the census with its first child's UPN replaced by one failing its check letter; that
    child's ID."""
    text = census.read_text(encoding="utf-8")
    found = re.search(r"<LAchildID>([^<]+)</LAchildID><UPN>([^<]+)</UPN>", text)
    assert found is not None, "the synthetic census gives children UPNs"
    child, upn = found.groups()
    assert text.count(f"<UPN>{upn}</UPN>") == 1
    copy.write_text(
        text.replace(found.group(0), found.group(0).replace(upn, WRONG_CHECK_LETTER)),
        encoding="utf-8",
    )
    return child


def test_the_cin_census_is_validated(small_place, fresh_stores, tmp_path):
    census = tmp_path / "cin_census.xml"
    broken = _with_one_upn_broken(small_place / "council" / "cin_census.xml", census)
    (outcome,) = ingest_many([census], by=actors.command_line())
    assert outcome.status == "loaded"
    queries = [i for i in outcome.issues if i.severity == "query"]
    # The synthetic UPNs carry valid check letters, so the DfE's check-letter rule flags the one
    # child given a wrong one, and no other.
    flagged = {
        found.group(1)
        for i in queries
        if i.rule == "DfE 1510" and (found := re.search(r"\(child ([^)]+)\)$", i.reason))
    }
    assert flagged == {broken}
    assert outcome.load.issues.filter(severity="query").exists()
