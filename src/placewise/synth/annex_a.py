"""The synthetic council's Ofsted Annex A workbook, Lists 1–11, written from the reader's own spec.

Each list's columns, in order, are `LISTS[n].columns` from placewise.sources.readers.spec, so the
writer cannot drift from what the reader expects. A row is a dict keyed by column key; a key the
row leaves out is a blank cell, and a key the list does not have is an error. The header drift real
workbooks have is declared per column in `DRIFT`, and every drifted header is derived from the
spec: one of the column's declared aliases, or a spelling of its header that `normalise_header`
folds. No header is typed here.
"""

import random
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from placewise.sources import codes
from placewise.sources.readers.spec import LISTS, Column
from placewise.sources.values import normalise_header
from placewise.synth.council import CouncilRecords, age_on
from placewise.synth.journeys import Episode, Journey

Row = dict[str, object]
# The common Annex A columns (child_id, gender, ethnicity, dob, age) for a child on a given day.
CommonColumns = Callable[[Journey, date], Row]
# How a real workbook words a column's header, given the spec's column.
Drift = Callable[[Column], str]


def alias(name: str) -> Drift:
    """The column's declared alias `name` instead of its header; an undeclared one is refused, so
    a header the reader would not know cannot be written."""

    def drifted(column: Column) -> str:
        if name not in column.aliases:
            raise ValueError(f"'{name}' is not a declared alias of column '{column.key}'")
        return name

    return drifted


_JOINING_WORDS = frozenset({"a", "an", "and", "by", "for", "in", "of", "on", "or", "the", "to"})


def headline_case(column: Column) -> str:
    """The header with each word capitalised but the joining ones ('Date of Referral')."""
    return " ".join(
        word if word in _JOINING_WORDS else word[:1].upper() + word[1:]
        for word in column.header.split(" ")
    )


def curly_quotes(column: Column) -> str:
    """The header with its quoted words in the template's curly quotes."""
    return re.sub(r"'([^']*)'", "\u2018\\1\u2019", column.header)


def doubled_bracket(column: Column) -> str:
    """The header with the template's doubled closing bracket: '(Y/N))'."""
    return column.header + ")"


def trailing_space(column: Column) -> str:
    """The header with the template's trailing space."""
    return column.header + " "


# The header drift real workbooks have, by list and column key. List 1 uses the short 'Age' header
# as many real workbooks do; the rest are the DfE template's own spellings.
DRIFT: dict[int, dict[str, Drift]] = {
    1: {"age": alias("Age")},
    3: {"referral_date": headline_case},
    8: {"uasc": doubled_bracket, "missing_12m": curly_quotes, "absent_12m": curly_quotes},
    10: {"adoption_order": trailing_space},
}


def headers(number: int) -> list[str]:
    """The header row written for list `number`: the spec's headers, drifted where `DRIFT` says.
    A drifted header that would not read back as its own column is refused here, not at load."""
    columns = LISTS[number].columns
    drift = DRIFT.get(number, {})
    unknown = drift.keys() - {c.key for c in columns}
    if unknown:
        raise ValueError(f"List {number} has no column(s) {sorted(unknown)} to drift")
    written = []
    for column in columns:
        header = drift[column.key](column) if column.key in drift else column.header
        if normalise_header(header) not in {normalise_header(h) for h in _names(column)}:
            raise ValueError(f"List {number}: '{header}' would not read as '{column.header}'")
        written.append(header)
    return written


def _names(column: Column) -> tuple[str, ...]:
    return (column.header, *column.aliases)


_GENDER = {"M": "a) Male", "F": "b) Female"}
_ABUSE = {
    "NEG": "Neglect",
    "PHY": "Physical abuse",
    "SAB": "Sexual abuse",
    "EMO": "Emotional abuse",
    "MUL": "Multiple",
}


def write_annex_a(path: Path, council: CouncilRecords, rng: random.Random, reference: date) -> None:
    """Lists 1–11 in the spec's columns, with the header drift real workbooks have."""
    workbook = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_numbers": False}
    )
    workbook.set_properties(
        {"title": "Annex A", "author": "Northshire Council", "created": datetime(2026, 4, 1)}
    )
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})

    def sheet(number: int, rows: Iterable[Row]) -> None:
        spec = LISTS[number]
        keys = [c.key for c in spec.columns]
        known = set(keys)
        ws = workbook.add_worksheet(spec.name)
        ws.write_row(0, 0, headers(number))
        for r, row in enumerate(rows, start=1):
            stray = row.keys() - known
            if stray:
                raise ValueError(f"{spec.name} has no column(s) {sorted(stray)}")
            for c, key in enumerate(keys):
                value = row.get(key)
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

    def common_columns(j: Journey, on: date) -> Row:
        ident = council.identity[j.council_id]
        ethnicity = "#N/A" if rng.random() < 0.01 else _prefixed(j.child.ethnicity, codes.ETHNICITY)
        return {
            "child_id": j.council_id,
            "gender": _GENDER[ident.sex],
            "ethnicity": ethnicity,
            "dob": ident.date_of_birth,
            "age": age_on(ident.date_of_birth, on),
        }

    # Rows are built lazily as each sheet is written, so every random draw happens in this order:
    # the same seed gives the same workbook only while it is kept.
    js = council.journeys
    sheet(1, (_contact(common_columns, j, d, s) for j in js for d, s in j.contacts))
    sheet(
        2,
        (
            _early_help(common_columns, j, d)
            for j in js
            for d, _ in j.contacts[:1]
            if not j.episodes
        ),
    )
    sheet(3, (_referral(common_columns, j, e) for j in js for e in j.episodes))
    sheet(4, (_assessment(common_columns, j, e) for j in js for e in j.episodes if e.assessment))
    sheet(5, (_section_47(common_columns, j, e) for j in js for e in j.episodes if e.s47))
    sheet(
        6, (_child_in_need(common_columns, j, e, rng) for j in js for e in j.episodes if not e.nfa)
    )
    sheet(
        7,
        (
            _protection_plan(common_columns, j, e, reference)
            for j in js
            for e in j.episodes
            if e.cp_plan
        ),
    )
    sheet(8, (_looked_after(common_columns, j, e) for j in js for e in j.episodes if e.care))
    sheet(9, (_care_leaver(common_columns, j, e, left, rng) for j, e, left in _care_leavers(js)))
    sheet(
        10,
        (
            _adoption(common_columns, j, e, rng, n)
            for n, (j, e, _) in enumerate(_adoptions(js), start=2)
        ),
    )
    sheet(11, (_adopter(a, rng, n) for n, (_, _, a) in enumerate(_adoptions(js), start=1)))
    workbook.close()


def _contact(common: CommonColumns, j: Journey, day: date, source: str) -> Row:
    return {
        **common(j, day),
        "contact_date": day,
        "contact_source": _prefixed(source, codes.REFERRAL_SOURCE),
    }


def _early_help(common: CommonColumns, j: Journey, day: date) -> Row:
    return {
        **common(j, day),
        "eh_start": day,
        "eh_end": day + timedelta(days=14),
        "eh_org": "Early Help Hub",
    }


def _referral(common: CommonColumns, j: Journey, e: Episode) -> Row:
    return {
        **common(j, e.referral_date),
        "referral_date": e.referral_date,
        "referral_source": _prefixed(e.source, codes.REFERRAL_SOURCE),
        "nfa": _yn(e.nfa),
        "referrals_12m": e.referrals_12m,
        "team": e.team,
        "worker": e.worker,
    }


def _assessment(common: CommonColumns, j: Journey, e: Episode) -> Row:
    assert e.assessment is not None
    start, authorised = e.assessment
    return {
        **common(j, start),
        "disability": "b) No",
        "assessment_start": start,
        "seen": "Yes",
        "authorised": authorised,
        "needs_support": _yn(e.needs_support) if authorised else "",
        "team": e.team,
        "worker": e.worker,
    }


def _section_47(common: CommonColumns, j: Journey, e: Episode) -> Row:
    assert e.s47 is not None
    start, icpc, icpc_not_required = e.s47
    return {
        **common(j, start),
        "disability": "b) No",
        "s47_start": start,
        "icpc_unnecessary": _yn(icpc_not_required),
        "icpc_date": icpc,
        "icpc_to_plan": _yn(e.cp_plan is not None) if icpc else "",
        "s47_12m": 0,
        "icpc_12m": 0,
        "team": e.team,
        "worker": e.worker,
    }


def _child_in_need(common: CommonColumns, j: Journey, e: Episode, rng: random.Random) -> Row:
    # The common columns draw before the need's wording, to keep each seed's place as it was.
    child = common(j, e.referral_date)
    return {
        **child,
        "disability": "b) No",
        "cin_start": e.referral_date,
        "primary_need": _need_text(rng, e.need),
        "last_seen": e.closure or e.referral_date,
        "cin_end": e.closure,
        "closure_reason": e.closure_reason or "",
        "case_status": _status(e),
        "team": e.team,
        "worker": e.worker,
    }


def _protection_plan(common: CommonColumns, j: Journey, e: Episode, reference: date) -> Row:
    assert e.cp_plan is not None
    start, end, initial, latest = e.cp_plan
    return {
        **common(j, start),
        "disability": "b) No",
        "cpp_start": start,
        "initial_category": _ABUSE[initial],
        "latest_category": _ABUSE[latest],
        "last_visit": end or reference,
        "seen_alone": "Yes",
        "latest_review": start,
        "cpp_end": end,
        "epo": "N",
        "previous_plans": e.previous_plans,
        "team": e.team,
        "worker": e.worker,
    }


def _looked_after(common: CommonColumns, j: Journey, e: Episode) -> Row:
    assert e.care is not None
    care, last = e.care, e.care.placements[-1] if e.care.placements else None
    # The placement's postcode and URN are not modelled: left blank.
    return {
        **common(j, care.start),
        "uasc": "N",
        "disability": "b) No",
        "cla_start": care.start,
        "category_of_need": care.category_of_need,
        "second_period": "N",
        "legal_status_start": care.start,
        "legal_status": care.legal_status,
        "latest_review": care.reviews[-1] if care.reviews else None,
        "last_visit": care.start,
        "permanence_plan": "Adoption" if care.adoption else "Long-term fostering",
        "last_iro": care.start,
        "last_health": care.start,
        "last_dental": care.start,
        "placements_12m": min(len(care.placements), 9),
        "cla_end": care.end,
        "reason_ceased": care.reason_ceased or "",
        "placement_start": last.start if last else None,
        "placement_type": last.place if last else "",
        "placement_provider": last.provider if last else "",
        "placement_location": "In",
        "placement_la": "Northshire",
        "missing_12m": len(care.missing),
        "absent_12m": 0,
        "ri_offered": _yn(care.return_interview_offered) if care.missing else "",
        "ri_accepted": _yn(care.return_interview_offered) if care.missing else "",
        "team": e.team,
        "worker": e.worker,
    }


def _care_leaver(
    common: CommonColumns, j: Journey, e: Episode, left: date, rng: random.Random
) -> Row:
    # Drawn in this order (common columns, in touch, activity) to keep each seed's place as it was.
    child = common(j, left)
    in_touch = rng.choice(("Yes", "Yes", "Yes", "No"))
    activity = rng.choice(("Education", "Training", "Employment", "NEET"))
    return {
        **child,
        "disability": "b) No",
        "team": e.team,
        "worker": e.worker,
        "eligibility": "Former relevant",
        "in_touch": in_touch,
        "accommodation": "Independent living",
        "suitable": "Suitable",
        "activity": activity,
        "uasc": "N",
        "advisor": "PA Jones",
        "pathway_review": left,
        "latest_contact": left,
    }


# A few matching dates are a formula on the placement order's cell, as real workbooks have where a
# date should be; the column letter comes from the spec, so it follows the column if it moves.
_PLACEMENT_ORDER = xl_col_to_name([c.key for c in LISTS[10].columns].index("placement_order"))


def _adoption(common: CommonColumns, j: Journey, e: Episode, rng: random.Random, row: int) -> Row:
    """List 10's row for a child adopted from care; `row` is its row number in the sheet."""
    assert e.care is not None and e.care.adoption is not None
    adoption = e.care.adoption
    child = common(j, e.care.start)
    matched: object = adoption["matched"]
    if rng.random() < 0.05:
        matched = f"={_PLACEMENT_ORDER}{row}+90"
    # No decision that a child should no longer be placed, and no FFA placement: left blank.
    return {
        **child,
        "family_id": f"FAM{row:05d}",
        "disability": "b) No",
        "entered_care": e.care.start,
        "adm_decision": adoption["decision"],
        "placement_order": adoption["placement_order"],
        "matched": matched,
        "placed": adoption["placed"],
        "adoption_order": adoption["adoption_order"],
    }


def _adopter(adoption: dict[str, date | None], rng: random.Random, number: int) -> Row:
    """List 11's row for the adopter of the `number`th adopted child (one adopter each)."""
    return {
        "adopter_id": f"AD{number:05d}",
        "family_id": f"FAM{number:05d}",
        "gender": _GENDER[rng.choice("MF")],
        "ethnicity": "a) WBRI",
        "disability": "b) No",
        "ffa": "No",
        "enquiry": adoption["decision"],
        "stage1_start": adoption["decision"],
        "stage1_end": adoption["placement_order"],
        "stage2_start": adoption["placement_order"],
        "stage2_end": adoption["matched"],
        "application": adoption["matched"],
        "approved": adoption["matched"],
        "matched": adoption["matched"],
        "placed": adoption["placed"],
        "children_placed": 1,
        "adoption_order": adoption["adoption_order"],
    }


def _prefixed(code: str, options: tuple[str, ...]) -> str:
    # Annex A's drop-downs prefix each option with a letter: 'b) N1'.
    letters = "abcdefghijklmnopqrstuvwxyz"
    index = options.index(code) if code in options else 0
    return f"{letters[index % 26]}) {code}"


def _yn(flag: bool | None) -> str:
    return "" if flag is None else ("Yes" if flag else "No")


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
                and age_on(j.child.identity.date_of_birth, left) >= 16
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
