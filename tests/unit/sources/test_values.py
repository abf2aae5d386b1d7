from datetime import date, datetime

import pytest

from placewise.sources.values import (
    normalise_header,
    normalise_postcode,
    parse_code,
    parse_date,
    parse_sex,
    parse_yes_no,
    postcode_sector,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("05/03/2024", date(2024, 3, 5)),
        ("2024-03-05", date(2024, 3, 5)),
        ("2024-03-05 00:00:00", date(2024, 3, 5)),
        (datetime(2024, 3, 5, 10, 30), date(2024, 3, 5)),
        ("#N/A", None),
        ("", None),
    ],
)
def test_dates_in_the_layouts_returns_use(raw, expected):
    issues = []
    assert parse_date(raw, row=2, column="D", issues=issues) == expected
    assert issues == []


@pytest.mark.parametrize("raw", ["31/02/2024", "2024-13-01", "yesterday", "32/01/2020"])
def test_impossible_dates_are_errors_naming_row_and_column(raw):
    issues = []
    assert parse_date(raw, row=7, column="Date of referral", issues=issues) is None
    assert [(i.row, i.column, i.severity) for i in issues] == [(7, "Date of referral", "error")]


def test_a_date_before_1900_is_impossible():
    issues = []
    assert parse_date("01/01/1850", row=3, column="DOB", issues=issues) is None
    assert "impossible" in issues[0].reason


def test_sensitive_dates_are_not_echoed_in_the_reason():
    issues = []
    parse_date("31/02/2012", row=3, column="DOB", issues=issues, sensitive=True)
    assert "31/02/2012" not in issues[0].reason


def test_a_formula_where_a_date_should_be_is_a_warning_and_left_blank():
    issues = []
    assert parse_date("=H2+5", row=4, column="Date of Placement Order", issues=issues) is None
    assert issues[0].severity == "warning" and "formula" in issues[0].reason


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("q) 6", "6"),
        ("N1", "N1"),
        ("N1 - Abuse or neglect", "N1"),
        ("a) WBRI", "WBRI"),
        ("rc8", "RC8"),
    ],
)
def test_codes_with_annex_a_prefixes_and_descriptions(raw, expected):
    issues = []
    allowed = ["6", "N1", "WBRI", "RC8"]
    assert parse_code(raw, allowed, row=2, column="C", issues=issues) == expected
    assert issues == []


def test_free_text_where_a_code_is_expected_is_a_warning_not_a_rejection():
    issues = []
    result = parse_code(
        "PSRMEM - Support with memory and cognition",
        ["N1", "N2"],
        row=9,
        column="Primary Need Code",
        issues=issues,
    )
    assert result is None
    assert [(i.row, i.severity) for i in issues] == [(9, "warning")]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("a) Male", "M"),
        ("b) Female", "F"),
        ("1", "M"),
        ("2", "F"),
        ("Female", "F"),
        ("c) Not stated/recorded", "U"),
        ("", None),
    ],
)
def test_sex(raw, expected):
    assert parse_sex(raw) == expected


def test_yes_no():
    issues = []
    assert parse_yes_no("a) Yes", row=1, column="c", issues=issues) is True
    assert parse_yes_no("N", row=1, column="c", issues=issues) is False
    assert parse_yes_no("0", row=1, column="c", issues=issues) is False
    assert issues == []


def test_header_drift_folds_to_the_same_key():
    assert normalise_header("Date of referral") == normalise_header("Date of Referral")
    assert normalise_header("Date of Adoption Order ") == normalise_header("Date of Adoption Order")
    assert normalise_header("\u2018Missing\u2019 (Y/N))") == normalise_header("'Missing' (Y/N)")


@pytest.mark.parametrize(
    "raw, full, sector",
    [
        ("ns47ab", "NS4 7AB", "NS4 7"),
        ("NS10  1XY", "NS10 1XY", "NS10 1"),
        ("SW1A 1AA", "SW1A 1AA", "SW1A 1"),
        ("not a postcode", None, None),
    ],
)
def test_postcodes_and_sectors(raw, full, sector):
    assert normalise_postcode(raw) == full
    assert postcode_sector(raw) == sector
