"""The synthetic council's SSDA903 return (children looked after), written from the reader's tables.

Each table's columns are `TABLES[name].columns` from placewise.sources.readers.ssda903, so the
writer cannot drift from what the reader expects: a row is a dict keyed by column key, a key it
leaves out is blank, and a key the table does not have is an error.
"""

import csv
from pathlib import Path

from placewise.sources.readers.ssda903 import TABLES
from placewise.synth.council import CouncilRecords, age_on
from placewise.synth.council import day_month_year as dmy

Row = dict[str, str]


def write_ssda903(folder: Path, council: CouncilRecords) -> None:
    """The SSDA903 CSV tables for every child looked after in the window, one file per table."""
    folder.mkdir(parents=True, exist_ok=True)
    tables: dict[str, list[Row]] = {name: [] for name in TABLES}
    seen: set[str] = set()
    for j in council.journeys:
        for e in j.episodes:
            care = e.care
            if care is None:
                continue
            child = j.council_id
            ident = council.identity[child]
            dob = dmy(ident.date_of_birth)
            if child not in seen:
                seen.add(child)
                tables["header"].append(
                    {
                        "child_id": child,
                        "gender": "1" if ident.sex == "M" else "2",
                        "dob": dob,
                        "ethnicity": j.child.ethnicity,
                        "upn": ident.upn or "",
                    }
                )
            for n, p in enumerate(care.placements):
                final = n == len(care.placements) - 1
                # An episode that is not the last ends as a new one starts the same day (REC X1).
                rec = (care.reason_ceased or "") if final else "X1"
                tables["episodes"].append(
                    {
                        "child_id": child,
                        "decom": dmy(p.start),
                        "rne": "S" if n == 0 else "P",
                        "ls": care.legal_status,
                        "cin": care.category_of_need,
                        "place": p.place,
                        "place_provider": p.provider,
                        "dec": dmy(p.end) if (p.end and (not final or care.end)) else "",
                        "rec": rec if p.end else "",
                        "reason_place_change": "" if n == 0 else (p.reason_change or ""),
                        "home_post": j.child.identity.postcode,
                    }
                )
            for review in care.reviews:
                tables["reviews"].append(
                    {"child_id": child, "dob": dob, "review": dmy(review), "review_code": "PN1"}
                )
            for start, end, kind in care.missing:
                tables["missing"].append(
                    {
                        "child_id": child,
                        "dob": dob,
                        "missing": kind,
                        "mis_start": dmy(start),
                        "mis_end": dmy(end),
                    }
                )
            if care.adoption:
                adoption = care.adoption
                tables["placed_for_adoption"].append(
                    {"child_id": child, "dob": dob, "date_placed": dmy(adoption["decision"])}
                )
                tables["ad1"].append(
                    {
                        "child_id": child,
                        "dob": dob,
                        "date_int": dmy(adoption["decision"]),
                        "date_match": dmy(adoption["matched"]),
                        "foster_care": "0",
                        "nb_adoptr": "2",
                        "sex_adoptr": "MF",
                        "ls_adoptr": "L0",
                    }
                )
            if (
                care.end
                and age_on(ident.date_of_birth, care.end) >= 16
                and care.reason_ceased != "E11"
            ):
                tables["oc3"].append(
                    {"child_id": child, "dob": dob, "in_touch": "YES", "activ": "F2", "accom": "B1"}
                )
            tables["sw_episodes"].append(
                {
                    "child_id": child,
                    "dob": dob,
                    "sw_id": e.worker,
                    "sw_decom": dmy(care.start),
                    "sw_dec": dmy(care.end),
                    "sw_reason": "MANAGE" if care.end else "",
                }
            )
    for name, rows in tables.items():
        columns = TABLES[name].columns
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerow([c.header for c in columns])
            writer = csv.DictWriter(
                handle,
                [c.key for c in columns],
                restval="",
                extrasaction="raise",
                lineterminator="\n",
            )
            writer.writerows(rows)
