from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from placewise.sources.canonical import FileRejected
from placewise.sources.readers import annex_a

COMMON = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth"]


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_lists_with_header_drift_are_read(tmp_path):
    path = workbook(
        tmp_path / "a.xlsx",
        {
            # 'Age' instead of 'Age of Child (Years)', lower-case 'referral', extra column.
            "List 3": [
                [
                    *COMMON,
                    "Age",
                    "Date of Referral",
                    "Referral Source",
                    "Referral NFA?",
                    "Number of Referrals in Last 12 Months",
                    "Allocated Team",
                    "Allocated Worker",
                    "Notes",
                ],
                [
                    "C1",
                    "a) Male",
                    "a) WBRI",
                    date(2015, 4, 2),
                    9,
                    date(2024, 5, 1),
                    "q) 6",
                    "No",
                    1,
                    "North",
                    "SW1",
                    "free text",
                ],
            ],
            # Trailing space in the header, #N/A and a formula where dates are expected.
            "List 10": [
                [
                    "Child Unique ID",
                    "Family identifier",
                    "Gender",
                    "Ethnicity",
                    "Date of Birth",
                    "Age of Child (Years)",
                    "Does the Child have a Disability",
                    "Date the Child Entered Care",
                    "Date of Adoption Order ",
                    "Date of Placement Order",
                ],
                [
                    "C2",
                    "F1",
                    "b) Female",
                    "#N/A",
                    date(2022, 1, 1),
                    2,
                    "b) No",
                    date(2023, 1, 10),
                    date(2024, 2, 1),
                    "=H2+5",
                ],
            ],
        },
    )
    parsed = list(annex_a.read_xlsx(path, "council"))
    rows = [p for p in parsed if p.is_row]
    assert len(rows) == 2
    referral = rows[0].events[0]
    assert (referral.kind, referral.start, referral.code, referral.team) == (
        "referral",
        date(2024, 5, 1),
        "6",
        "North",
    )
    assert referral.attrs["nfa"] is False
    assert rows[0].identity.sex == "M" and rows[0].identity.ethnicity == "WBRI"
    adoption = rows[1].events[0]
    assert (adoption.start, adoption.end) == (date(2023, 1, 10), date(2024, 2, 1))
    assert rows[1].identity.ethnicity is None
    warnings = [i for p in parsed for i in p.issues if i.severity == "warning"]
    assert any("formula" in w.reason for w in warnings)
    assert any("Notes" in w.reason for w in warnings)
    assert not any(i.severity == "error" for p in parsed for i in p.issues)


def test_a_missing_required_column_rejects_the_file_naming_it(tmp_path):
    path = workbook(tmp_path / "a.xlsx", {"List 1": [[*COMMON, "Contact Source"], ["C1"]]})
    with pytest.raises(FileRejected, match="Date of Contact"):
        list(annex_a.read_xlsx(path, "council"))


def test_an_impossible_date_is_an_error_on_its_row(tmp_path):
    path = workbook(
        tmp_path / "a.xlsx",
        {
            "List 1": [
                [*COMMON, "Age", "Date of Contact", "Contact Source"],
                ["C1", "a) Male", "a) WBRI", date(2015, 4, 2), 9, date(2024, 5, 1), "6"],
                ["C2", "a) Male", "a) WBRI", date(2015, 4, 2), 9, "31/02/2024", "6"],
            ]
        },
    )
    rows = [p for p in annex_a.read_xlsx(path, "council") if p.is_row]
    assert not rows[0].has_errors
    assert rows[1].has_errors
    error = rows[1].issues[0]
    assert (error.row, error.column) == (3, "Date of Contact")


def test_a_workbook_without_any_list_is_rejected(tmp_path):
    path = workbook(tmp_path / "a.xlsx", {"Sheet1": [["a", "b"], [1, 2]]})
    with pytest.raises(FileRejected, match="no sheet that is an Annex A list"):
        list(annex_a.read_xlsx(path, "council"))


def test_liiatools_sample_workbook_reads_without_errors_that_are_not_in_the_file(liiatools_samples):
    path = liiatools_samples / "annex_a" / "samples" / "Annex_A.xlsx"
    parsed = list(annex_a.read_xlsx(path, "council"))
    rows = [p for p in parsed if p.is_row]
    kinds = {e.kind for p in rows for e in p.events}
    # The sample has rows in every child list.
    assert {
        "contact",
        "referral",
        "assessment",
        "section_47",
        "cin_episode",
        "cp_plan",
        "cla_period",
    } <= kinds
    # Its deliberate mess (#N/A, formulas, free text) is handled by rule as warnings.
    assert any(i.severity == "warning" for p in parsed for i in p.issues)
