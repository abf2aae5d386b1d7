"""The synthetic council's case-system extracts: its people (the names the statutory returns do not
carry) and its log of return home interviews, each with the mapping file that loads it."""

import csv
import random
from pathlib import Path

from placewise.synth.council import CouncilRecords
from placewise.synth.council import day_month_year as dmy

CASE_SYSTEM_MAPPING = """[source]
name = "{source}"
title = "Children's social care records"
organisation = "{organisation}"
[identity]
record_id = "PersonID"
given_name = "Forename"
family_name = "Surname"
date_of_birth = "DateOfBirth"
date_format = "%d/%m/%Y"
sex = "Gender"
postcode = "Postcode"
address = "AddressLine1"
nhs_number = "NHSNumber"
upn = "UPN"
"""


def write_case_system_extract(
    path: Path, council: CouncilRecords, *, source: str, organisation: str
) -> None:
    """The council's person extract from its case system: the statutory returns carry no names,
    so linkage to partners needs this. Same child IDs (so the same tokens) as the returns."""
    path.with_suffix(".toml").write_text(
        CASE_SYSTEM_MAPPING.format(source=source, organisation=organisation), encoding="utf-8"
    )
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "PersonID",
                "Forename",
                "Surname",
                "DateOfBirth",
                "Gender",
                "Postcode",
                "AddressLine1",
                "NHSNumber",
                "UPN",
            ]
        )
        for j in council.journeys:
            ident = council.identity[j.council_id]
            writer.writerow(
                [
                    j.council_id,
                    ident.given_name,
                    ident.family_name,
                    dmy(ident.date_of_birth),
                    ident.sex,
                    ident.postcode,
                    ident.address,
                    ident.nhs_number or "",
                    ident.upn or "",
                ]
            )


RETURN_INTERVIEWS_MAPPING = """[source]
name = "{source}"
title = "Children's social care records"
organisation = "{organisation}"
[identity]
record_id = "PersonID"
date_format = "%d/%m/%Y"
[[events]]
kind = "return_interview"
start = "OfferedDate"
code = "Accepted"
team = "Team"
"""


def write_return_interviews(
    path: Path, council: CouncilRecords, *, source: str, organisation: str
) -> None:
    """The case system's log of return home interviews offered to children looked after after a
    missing episode: the statutory returns say only whether the last one was offered."""
    path.with_suffix(".toml").write_text(
        RETURN_INTERVIEWS_MAPPING.format(source=source, organisation=organisation),
        encoding="utf-8",
    )
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["PersonID", "OfferedDate", "Accepted", "Team"])
        for j in council.journeys:
            for e in j.episodes:
                for offered in sorted(e.care.return_interviews.values()) if e.care else ():
                    # About 6 in 10 accept; seeded by child and day, so no other file changes.
                    side = random.Random(f"{j.council_id}:{offered.isoformat()}:accepted")
                    accepted = "Y" if side.random() < 0.6 else "N"
                    writer.writerow([j.council_id, dmy(offered), accepted, e.team])
