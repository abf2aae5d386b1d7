"""The council's statutory returns for the synthetic place: Annex A, SSDA903 and CIN census."""

import csv
import random
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape  # nosec B406  # writes XML, parses nothing

import xlsxwriter

from placewise.sources import codes
from placewise.synth.journeys import Episode, Journey
from placewise.synth.people import Identity, Noise, observe

_GENDER = {"M": "a) Male", "F": "b) Female"}
# The common Annex A columns for a child on a given day.
Who = Callable[[Journey, date], list[object]]


def _dmy(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _age(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _prefixed(code: str, options: tuple[str, ...]) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    index = options.index(code) if code in options else 0
    return f"{letters[index % 26]}) {code}"


def _yn(flag: bool | None) -> str:
    return "" if flag is None else ("Yes" if flag else "No")


class CouncilRecords:
    """The council's view of each child: its own ID and the identity its case system holds."""

    def __init__(self, rng: random.Random, journeys: list[Journey], noise: Noise) -> None:
        # The council's records are kept well, but not perfectly: a lighter dose of noise.
        self.identity: dict[str, Identity] = {
            j.council_id: observe(rng, j.child, noise.scaled(0.3)) for j in journeys
        }
        self.journeys = journeys


def write_annex_a(path: Path, council: CouncilRecords, rng: random.Random, reference: date) -> None:
    """Lists 1–11 with the header drift real workbooks have."""
    workbook = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_numbers": False}
    )
    workbook.set_properties(
        {"title": "Annex A", "author": "Northshire Council", "created": datetime(2026, 4, 1)}
    )
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    common = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth"]

    def sheet(name: str, header: list[str], rows: Iterable[list[object]]) -> None:
        ws = workbook.add_worksheet(name)
        ws.write_row(0, 0, header)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, date):
                    ws.write_datetime(
                        r, c, datetime(value.year, value.month, value.day), date_format
                    )
                elif isinstance(value, str) and value.startswith("="):
                    ws.write_formula(r, c, value)
                elif value is None or value == "":
                    continue
                else:
                    ws.write(r, c, value)

    def who(j: Journey, on: date) -> list[object]:
        ident = council.identity[j.council_id]
        ethnicity = "#N/A" if rng.random() < 0.01 else _prefixed(j.child.ethnicity, codes.ETHNICITY)
        return [
            j.council_id,
            _GENDER[ident.sex],
            ethnicity,
            ident.date_of_birth,
            _age(ident.date_of_birth, on),
        ]

    js = council.journeys
    # List 1 uses the short 'Age' header, as many real workbooks do.
    sheet(
        "List 1",
        [*common, "Age", "Date of Contact", "Contact Source"],
        ([*who(j, d), d, _prefixed(s, codes.REFERRAL_SOURCE)] for j in js for d, s in j.contacts),
    )
    sheet(
        "List 2",
        [
            *common,
            "Age of Child (Years)",
            "Assessment start date",
            "Assessment completion date",
            "Organisation completing assessment",
        ],
        (
            [*who(j, d), d, d + timedelta(days=14), "Early Help Hub"]
            for j in js
            for d, _ in j.contacts[:1]
            if not j.episodes
        ),
    )
    sheet(
        "List 3",
        [
            *common,
            "Age of Child (Years)",
            "Date of Referral",
            "Referral Source",
            "Referral NFA?",
            "Number of Referrals in Last 12 Months",
            "Allocated Team",
            "Allocated Worker",
        ],
        (
            [
                *who(j, e.referral_date),
                e.referral_date,
                _prefixed(e.source, codes.REFERRAL_SOURCE),
                _yn(e.nfa),
                e.referrals_12m,
                e.team,
                e.worker,
            ]
            for j in js
            for e in j.episodes
        ),
    )
    sheet(
        "List 4",
        [
            *common,
            "Age of Child (Years)",
            "Does the Child have a Disability",
            "Continuous Assessment Start Date",
            "Child Seen During Continuous Assessment",
            "Continuous Assessment Date of Authorisation",
            "Was the child assessed as requiring LA children's social care support?",
            "Allocated Team",
            "Allocated Worker",
        ],
        (
            [
                *who(j, e.assessment[0]),
                "b) No",
                e.assessment[0],
                "Yes",
                e.assessment[1],
                _yn(e.needs_support) if e.assessment[1] else "",
                e.team,
                e.worker,
            ]
            for j in js
            for e in j.episodes
            if e.assessment
        ),
    )
    sheet(
        "List 5",
        [
            *common,
            "Age of Child (Years)",
            "Does the Child have a Disability",
            "Strategy discussion initiating Section 47 Enquiry Start Date",
            "Was an Initial Child Protection Conference deemed unnecessary?",
            "Date of Initial Child Protection Conference",
            "Did the Initial Child Protection Conference Result in a Child Protection Plan",
            "Number of Section 47 Enquiries in the last 12 months",
            "Number of ICPCs in the last 12 months",
            "Allocated Team",
            "Allocated Worker",
        ],
        (
            [
                *who(j, e.s47[0]),
                "b) No",
                e.s47[0],
                _yn(e.s47[2]),
                e.s47[1],
                _yn(e.cp_plan is not None) if e.s47[1] else "",
                0,
                0,
                e.team,
                e.worker,
            ]
            for j in js
            for e in j.episodes
            if e.s47
        ),
    )
    sheet(
        "List 6",
        [
            *common,
            "Age of Child (Years)",
            "Does the Child have a Disability",
            "CIN Start Date",
            "Primary Need Code",
            "Date Child Was Last Seen",
            "CIN Closure Date",
            "Reason for Closure",
            "Case Status",
            "Allocated Team",
            "Allocated Worker",
        ],
        (
            [
                *who(j, e.referral_date),
                "b) No",
                e.referral_date,
                _need_text(rng, e.need),
                e.closure or e.referral_date,
                e.closure,
                e.closure_reason or "",
                _status(e),
                e.team,
                e.worker,
            ]
            for j in js
            for e in j.episodes
            if not e.nfa
        ),
    )
    sheet(
        "List 7",
        [
            *common,
            "Age of Child (Years)",
            "Does the Child have a Disability",
            "Child Protection Plan Start Date",
            "Initial Category of Abuse",
            "Latest Category of Abuse",
            "Date of the Last Statutory Visit",
            "Was the Child Seen Alone?",
            "Date of latest review conference",
            "Child Protection Plan End Date",
            "Subject to Emergency Protection Order or Protected Under Police Powers in "
            "Last Six Months (Y/N)",
            "Number of Previous Child Protection Plans",
            "Allocated Team",
            "Allocated Worker",
        ],
        (
            [
                *who(j, e.cp_plan[0]),
                "b) No",
                e.cp_plan[0],
                _ABUSE[e.cp_plan[2]],
                _ABUSE[e.cp_plan[3]],
                e.cp_plan[1] or reference,
                "Yes",
                e.cp_plan[0],
                e.cp_plan[1],
                "N",
                e.previous_plans,
                e.team,
                e.worker,
            ]
            for j in js
            for e in j.episodes
            if e.cp_plan
        ),
    )
    # List 8 carries the template's curly quotes and doubled bracket.
    sheet(
        "List 8",
        [
            *common,
            "Age of Child (Years)",
            "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N))",
            "Does the Child have a Disability",
            "Date Started to be Looked After",
            "Child's Category of Need",
            "Is this a second or subsequent period of being a Looked After Child within "
            "the last 12 months (Y/N)",
            "Start date of current legal status",
            "Child's Legal Status",
            "Date of Latest Statutory Review",
            "Date of Last Social Work Visit",
            "What is the permanence plan for this child?",
            "Date of Last IRO Visit / Contact to the Child",
            "Date of Last Health Assessment",
            "Date of Last Dental Check",
            "Number of Placements in the Last 12 months",
            "Date Ceased to be Looked After",
            "Reason Ceased to be Looked After",
            "Start Date of Most Recent Placement",
            "Placement Type",
            "Placement Provider",
            "Placement postcode",
            "URN of Placement",
            "Placement Location",
            "LA of Placement",
            "Number of Episodes the Child has been \u2018Missing\u2019 from their Placement "
            "in the last 12 months",
            "Number of Episodes the Child has been \u2018Absent\u2019 from their Placement "
            "in the last 12 months",
            "Was the child offered a Return Interview after their last missing episode (Y/N)?",
            "Did the child accept a Return Interview after their last missing episode (Y/N)?",
            "Allocated Team",
            "Allocated Worker",
        ],
        (_list8(j, e, who) for j in js for e in j.episodes if e.care),
    )
    sheet(
        "List 9",
        [
            *common,
            "Age of Child (Years)",
            "Does the Child have a Disability",
            "Allocated Team",
            "Allocated Worker",
            "Eligibility Category",
            "LA in Touch",
            "Type of Accommodation",
            "Suitability of Accommodation",
            "Activity Status",
            "Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)",
            "Allocated Personal Advisor",
            "Latest Pathway Plan Review Date",
            "Latest Date of Contact",
        ],
        (
            [
                *who(j, left),
                "b) No",
                e.team,
                e.worker,
                "Former relevant",
                rng.choice(("Yes", "Yes", "Yes", "No")),
                "Independent living",
                "Suitable",
                rng.choice(("Education", "Training", "Employment", "NEET")),
                "N",
                "PA Jones",
                left,
                left,
            ]
            for j, e, left in _care_leavers(js)
        ),
    )
    # List 10 keeps the template's trailing space, and a few formulas where dates should be.
    sheet(
        "List 10",
        [
            "Child Unique ID",
            "Family identifier",
            "Gender",
            "Ethnicity",
            "Date of Birth",
            "Age of Child (Years)",
            "Does the Child have a Disability",
            "Date the Child Entered Care",
            "Date of Decision that Child Should be Placed for Adoption",
            "Date of Placement Order",
            "Date of Matching Child and Prospective Adopters",
            "Date Placed for Adoption",
            "Date of Adoption Order ",
            "Date of Decision that Child Should No Longer be Placed for Adoption",
            "Reason Why Child No Longer Placed for Adoption",
            "Date the child was placed for fostering in FFA or concurrent planning placement",
        ],
        (_list10(j, e, who, rng, n) for n, (j, e, _) in enumerate(_adoptions(js), start=2)),
    )
    sheet(
        "List 11",
        [
            "Individual adopter identifier",
            "Family identifier",
            "Gender",
            "Ethnicity",
            "Disability",
            "Is the (prospective) adopter fostering for adoption?",
            "Date enquiry received",
            "Date Stage 1 started",
            "Date Stage 1 ended",
            "Date Stage 2 started",
            "Date Stage 2 ended",
            "Date application submitted",
            "Date application approved",
            "Date adopter matched with child(ren)",
            "Date child/children placed with adopter(s)",
            "No. of children placed",
            "Date of Adoption Order",
            "Date of leaving adoption process",
            "Reason for leaving adoption process",
        ],
        (
            [
                f"AD{n:05d}",
                f"FAM{n:05d}",
                _GENDER[rng.choice("MF")],
                "a) WBRI",
                "b) No",
                "No",
                a["decision"],
                a["decision"],
                a["placement_order"],
                a["placement_order"],
                a["matched"],
                a["matched"],
                a["matched"],
                a["matched"],
                a["placed"],
                1,
                a["adoption_order"],
                "",
                "",
            ]
            for n, (j, e, a) in enumerate(_adoptions(js), start=1)
        ),
    )
    workbook.close()


_ABUSE = {
    "NEG": "Neglect",
    "PHY": "Physical abuse",
    "SAB": "Sexual abuse",
    "EMO": "Emotional abuse",
    "MUL": "Multiple",
}


def _need_text(rng: random.Random, need: str | None) -> str:
    if need is None:
        return ""
    roll = rng.random()
    if roll < 0.01:
        return "PSRMEM - Support with memory and cognition"  # free text real files carry
    if roll < 0.3:
        return f"{need} - {'Abuse or neglect' if need == 'N1' else 'Other need'}"
    return need


def _status(e: Episode) -> str:
    if e.closure:
        return "e) Closed episode"
    if e.care:
        return "a) Looked after child"
    if e.cp_plan:
        return "b) Child Protection plan"
    return "c) Child in need plan"


def _care_leavers(js: list[Journey]) -> Iterable[tuple[Journey, Episode, date]]:
    """Young people who left care at 16 or over (not by adoption), with the day they left."""
    for j in js:
        for e in j.episodes:
            left = e.care.end if e.care else None
            if (
                e.care is not None
                and left is not None
                and _age(j.child.identity.date_of_birth, left) >= 16
                and e.care.reason_ceased != "E11"
            ):
                yield j, e, left


def _adoptions(js: list[Journey]) -> list[tuple[Journey, Episode, dict[str, date | None]]]:
    """Children adopted from care, with their adoption dates."""
    return [
        (j, e, e.care.adoption)
        for j in js
        for e in j.episodes
        if e.care is not None and e.care.adoption is not None
    ]


def _list8(j: Journey, e: Episode, who: Who) -> list[object]:
    assert e.care is not None
    care, last = e.care, e.care.placements[-1] if e.care.placements else None
    return [
        *who(j, care.start),
        "N",
        "b) No",
        care.start,
        care.category_of_need,
        "N",
        care.start,
        care.legal_status,
        care.reviews[-1] if care.reviews else None,
        care.start,
        "Adoption" if care.adoption else "Long-term fostering",
        care.start,
        care.start,
        care.start,
        min(len(care.placements), 9),
        care.end,
        care.reason_ceased or "",
        last.start if last else None,
        last.place if last else "",
        last.provider if last else "",
        "",
        "",
        "In",
        "Northshire",
        len(care.missing),
        0,
        _yn(care.return_interview_offered) if care.missing else "",
        _yn(care.return_interview_offered) if care.missing else "",
        e.team,
        e.worker,
    ]


def _list10(j: Journey, e: Episode, who: Who, rng: random.Random, row: int) -> list[object]:
    assert e.care is not None and e.care.adoption is not None
    a = e.care.adoption
    ident = who(j, e.care.start)
    matched: object = a["matched"]
    if rng.random() < 0.05:
        matched = f"=J{row}+90"  # a formula where a date should be, as real workbooks have
    return [
        ident[0],
        f"FAM{row:05d}",
        ident[1],
        ident[2],
        ident[3],
        ident[4],
        "b) No",
        e.care.start,
        a["decision"],
        a["placement_order"],
        matched,
        a["placed"],
        a["adoption_order"],
        None,
        "",
        None,
    ]


def write_ssda903(folder: Path, council: CouncilRecords) -> None:
    """The SSDA903 CSV tables for every child looked after in the window."""
    folder.mkdir(parents=True, exist_ok=True)
    looked_after = [(j, e) for j in council.journeys for e in j.episodes if e.care]
    tables: dict[str, list[list[str]]] = {
        name: []
        for name in (
            "header",
            "episodes",
            "reviews",
            "uasc",
            "oc2",
            "oc3",
            "ad1",
            "placed_for_adoption",
            "previous_permanence",
            "missing",
            "sw_episodes",
            "dolo",
        )
    }
    seen: set[str] = set()
    for j, e in looked_after:
        assert e.care is not None
        ident = council.identity[j.council_id]
        dob = _dmy(ident.date_of_birth)
        if j.council_id not in seen:
            seen.add(j.council_id)
            tables["header"].append(
                [
                    j.council_id,
                    "1" if ident.sex == "M" else "2",
                    dob,
                    j.child.ethnicity,
                    ident.upn or "",
                    "",
                    "",
                ]
            )
        care = e.care
        for n, p in enumerate(care.placements):
            final = n == len(care.placements) - 1
            rec = (care.reason_ceased or "") if final else "X1"
            tables["episodes"].append(
                [
                    j.council_id,
                    _dmy(p.start),
                    "S" if n == 0 else "P",
                    care.legal_status,
                    care.category_of_need,
                    p.place,
                    p.provider,
                    _dmy(p.end) if (p.end and (not final or care.end)) else "",
                    rec if p.end else "",
                    "" if n == 0 else (p.reason_change or ""),
                    j.child.identity.postcode,
                    "",
                    "",
                ]
            )
        for review in care.reviews:
            tables["reviews"].append([j.council_id, dob, _dmy(review), "PN1"])
        for start, end, kind in care.missing:
            tables["missing"].append([j.council_id, dob, kind, _dmy(start), _dmy(end)])
        if care.adoption:
            a = care.adoption
            tables["placed_for_adoption"].append([j.council_id, dob, _dmy(a["decision"]), "", ""])
            tables["ad1"].append(
                [j.council_id, dob, _dmy(a["decision"]), _dmy(a["matched"]), "0", "2", "MF", "L0"]
            )
        if care.end and _age(ident.date_of_birth, care.end) >= 16 and care.reason_ceased != "E11":
            tables["oc3"].append([j.council_id, dob, "YES", "F2", "B1"])
        tables["sw_episodes"].append(
            [
                j.council_id,
                dob,
                e.worker,
                _dmy(care.start),
                _dmy(care.end),
                "MANAGE" if care.end else "",
            ]
        )
    from placewise.sources.readers.ssda903 import TABLES

    for name, rows in tables.items():
        header = [c.header for c in TABLES[name].columns]
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)


def write_cin_census(path: Path, council: CouncilRecords, reference: date) -> None:
    """A CIN census XML (2025+ schema: Sex as M/F/U, yes/no as 0/1), streamed to disk."""
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="utf-8"?>\n<Message>\n<Header>\n'
            f"<CollectionDetails><Collection>CIN</Collection><Year>{reference.year}</Year>"
            f"<ReferenceDate>{reference.isoformat()}</ReferenceDate></CollectionDetails>\n"
            "<Source><SourceLevel>L</SourceLevel><LEA>999</LEA><SoftwareCode>placewise-synth"
            "</SoftwareCode><Release>1</Release><SerialNo>1</SerialNo>"
            f"<DateTime>{reference.isoformat()}T00:00:00</DateTime></Source>\n</Header>\n"
            "<Children>\n"
        )
        for j in council.journeys:
            episodes = [e for e in j.episodes]
            if not episodes:
                continue
            ident = council.identity[j.council_id]
            parts = [f"<Child><ChildIdentifiers><LAchildID>{escape(j.council_id)}</LAchildID>"]
            if ident.upn:
                parts.append(f"<UPN>{ident.upn}</UPN>")
            parts.append(
                f"<PersonBirthDate>{ident.date_of_birth.isoformat()}</PersonBirthDate>"
                f"<Sex>{ident.sex}</Sex></ChildIdentifiers>"
                f"<ChildCharacteristics><Ethnicity>{j.child.ethnicity}</Ethnicity>"
                "<Disabilities><Disability>NONE</Disability></Disabilities>"
                "</ChildCharacteristics>"
            )
            for e in episodes:
                parts.append(_cin_details(e))
            parts.append("</Child>\n")
            out.write("".join(parts))
        out.write("</Children>\n</Message>\n")


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _cin_details(e: Episode) -> str:
    x = [
        f"<CINdetails><CINreferralDate>{_iso(e.referral_date)}</CINreferralDate>"
        f"<ReferralSource>{e.source}</ReferralSource>"
    ]
    if e.need:
        x.append(f"<PrimaryNeedCode>{e.need}</PrimaryNeedCode>")
    if e.closure:
        x.append(
            f"<CINclosureDate>{_iso(e.closure)}</CINclosureDate>"
            f"<ReasonForClosure>{e.closure_reason}</ReasonForClosure>"
        )
    x.append(f"<ReferralNFA>{1 if e.nfa else 0}</ReferralNFA>")
    if e.assessment:
        x.append(
            f"<Assessments><AssessmentActualStartDate>{_iso(e.assessment[0])}"
            "</AssessmentActualStartDate>"
        )
        if e.assessment[1]:
            x.append(
                f"<AssessmentAuthorisationDate>{_iso(e.assessment[1])}"
                "</AssessmentAuthorisationDate><FactorsIdentifiedAtAssessment>"
                "<AssessmentFactors>21</AssessmentFactors></FactorsIdentifiedAtAssessment>"
            )
        x.append("</Assessments>")
    if e.cin_plan:
        x.append(
            f"<CINPlanDates><CINPlanStartDate>{_iso(e.cin_plan[0])}</CINPlanStartDate>"
            + (f"<CINPlanEndDate>{_iso(e.cin_plan[1])}</CINPlanEndDate>" if e.cin_plan[1] else "")
            + "</CINPlanDates>"
        )
    if e.s47:
        x.append(
            f"<Section47><S47ActualStartDate>{_iso(e.s47[0])}</S47ActualStartDate>"
            + (f"<DateOfInitialCPC>{_iso(e.s47[1])}</DateOfInitialCPC>" if e.s47[1] else "")
            + f"<ICPCnotRequired>{1 if e.s47[2] else 0}</ICPCnotRequired></Section47>"
        )
    if e.cp_plan:
        x.append(
            f"<ChildProtectionPlans><CPPstartDate>{_iso(e.cp_plan[0])}</CPPstartDate>"
            + (f"<CPPendDate>{_iso(e.cp_plan[1])}</CPPendDate>" if e.cp_plan[1] else "")
            + f"<InitialCategoryOfAbuse>{e.cp_plan[2]}</InitialCategoryOfAbuse>"
            f"<LatestCategoryOfAbuse>{e.cp_plan[3]}</LatestCategoryOfAbuse>"
            f"<NumberOfPreviousCPP>{e.previous_plans}</NumberOfPreviousCPP></ChildProtectionPlans>"
        )
    x.append("</CINdetails>")
    return "".join(x)


CASE_SYSTEM_MAPPING = """[source]
name = "{source}"
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
                    _dmy(ident.date_of_birth),
                    ident.sex,
                    ident.postcode,
                    ident.address,
                    ident.nhs_number or "",
                    ident.upn or "",
                ]
            )


RETURN_INTERVIEWS_MAPPING = """[source]
name = "{source}"
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
                    writer.writerow([j.council_id, _dmy(offered), accepted, e.team])
