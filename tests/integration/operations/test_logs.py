"""No identifier reaches a log (issue 16, item 5): a load, a linkage run and a person's page, with
every logger at DEBUG, write none of the test data's NHS numbers, UPNs, names, dates of birth or
postcodes to the log file, to any logger, or to standard output and error."""

import csv
import logging
import re
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from placewise.linkage.run import link
from placewise.operations.logs import MASK, masked
from placewise.sharing import actors
from placewise.sources.actions import ingest_many
from tests.conftest import first_child

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
# The files loaded, and the columns in each that identify a person (read from their headers).
FILES = {
    "council/case_system_people.csv": (
        "Forename",
        "Surname",
        "DateOfBirth",
        "Postcode",
        "NHSNumber",
        "UPN",
    ),
    "partners/health_ae_attendances.csv": (
        "NHSNumber",
        "GivenName",
        "FamilyName",
        "DateOfBirth",
        "PostCode",
    ),
    "partners/police_missing_reports.csv": ("Forename", "Surname", "DOB", "Postcode"),
}


def _identifiers(place: Path) -> set[str]:
    """Every identifying value in the files, and each date of birth in the forms a log could
    write it (as given, ISO 8601, and day/month/year)."""
    found: set[str] = set()
    for name, columns in FILES.items():
        with (place / name).open(newline="") as handle:
            for row in csv.DictReader(handle):
                for column in columns:
                    value = row[column].strip()
                    if not value:
                        continue
                    found.add(value)
                    if column in ("Postcode", "PostCode"):
                        found.add(value.replace(" ", ""))
                    for form in ("%d/%m/%Y", "%Y-%m-%d"):
                        try:
                            day = datetime.strptime(value, form).date()
                        except ValueError:
                            continue
                        found |= {day.isoformat(), day.strftime("%d/%m/%Y")}
    return found


def _in(text: str, identifiers: set[str]) -> set[str]:
    words = set(re.findall(r"[A-Za-z0-9/\-']+|[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}", text))
    return words & identifiers


def test_a_load_a_linkage_run_and_a_persons_page_log_no_identifier(
    client, people, agreement, fresh_stores, small_place, caplog, capfd
):
    identifiers = _identifiers(small_place)
    assert len(identifiers) > 1000
    # The check can fail: a line carrying a name and a date of birth from the files is caught.
    with (small_place / "council/case_system_people.csv").open(newline="") as handle:
        child = next(csv.DictReader(handle))
    assert _in(f"loaded {child['Surname']} born {child['DateOfBirth']}", identifiers)

    log_file = Path(settings.PLACEWISE_LOG_FILE)
    start = log_file.stat().st_size if log_file.exists() else 0
    caplog.set_level(logging.DEBUG)
    logging.getLogger("placewise").debug("log capture started")

    outcomes = ingest_many(
        [small_place / name for name in FILES], by=actors.command_line(), run_dfe=False
    )
    assert all(o.ok for o in outcomes), [o.message for o in outcomes]
    # The library's own entry, not `placewise link`: the command sets Django up again, and
    # logging with it, which would take the capture off the root logger and the level to WARNING.
    run = link(by=actors.command_line())
    assert run.people > 0
    client.force_login(people["alice"])
    found = client.post(
        reverse("journeys:find"),
        {"source": "council_csc", "reference": first_child(small_place), "purpose": "safeguarding"},
        follow=True,
    )
    assert found.status_code == 200
    client.force_login(people["charlie"])  # refused, and the refusal logged with its path
    refused = client.post(
        reverse("journeys:find"),
        {"source": "council_csc", "reference": first_child(small_place), "purpose": "safeguarding"},
        follow=True,
    )
    assert refused.status_code == 403

    written = log_file.read_bytes()[start:].decode() if log_file.exists() else ""
    records = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    out, err = capfd.readouterr()
    # The file and the capture both work, and the page's refusal reached them.
    assert "log capture started" in written and "log capture started" in records
    assert "django.request" in written and any(r.name == "django.request" for r in caplog.records)
    for where, text in (("log file", written), ("loggers", records), ("output", out + err)):
        assert not _in(text, identifiers), f"identifiers in the {where}"


def test_the_filter_masks_what_is_shaped_like_an_identifier():
    line = "row for 943 476 5919 (A123456789012) at LS1 4AP, loaded 2025-04-01, 1,234 rows"
    assert masked(line) == f"row for {MASK} ({MASK}) at {MASK}, loaded 2025-04-01, 1,234 rows"
