"""Identity values that are wrong are evidence, not rejections (issue 13, item 2).

Every expected value is worked by hand in the comments; none comes from the code under test.
"""

from datetime import date

import pytest

from placewise.sources.identity_checks import nhs_number_is_valid, upn_is_valid
from placewise.sources.readers import cin_census, partner, ssda903
from placewise.sources.staging import Staged
from placewise.store.pseudonymise import Tokeniser

MAPPING = """[source]
name = "northshire_police"
organisation = "Northshire Police"
[identity]
record_id = "Ref"
given_name = "Forename"
date_of_birth = "DOB"
date_format = "%d/%m/%Y"
postcode = "Postcode"
nhs_number = "NHSNo"
upn = "UPN"
[[events]]
kind = "missing_episode"
start = "ReportDate"
"""
HEADER = "Ref,Forename,DOB,Postcode,NHSNo,UPN,ReportDate\n"

# NHS number 943 476 5919: digits 9 4 3 4 7 6 5 9 1 weighted 10..2 give
# 90+36+24+28+42+30+20+27+2 = 299; 299 mod 11 = 2; 11 - 2 = 9, the tenth digit. Valid.
GOOD_NHS = "9434765919"
BAD_NHS = "9434765918"  # the same with its last digit one off
# UPN P201123456789: characters 2-13 weighted 2..13 give
# 4+0+4+5+12+21+32+45+60+77+96+117 = 473; 473 mod 23 = 13; letter 13 of
# ABCDEFGHJKLMNPQRTUVWXYZ (A = 0) is P. Valid.
GOOD_UPN = "P201123456789"
BAD_UPN = "A201123456789"


def read(tmp_path, body):
    (tmp_path / "m.toml").write_text(MAPPING)
    (tmp_path / "p.csv").write_text(HEADER + body)
    return list(partner.read(tmp_path / "p.csv", partner.load_mapping(tmp_path / "m.toml")))


def warnings(parsed):
    return [(i.row, i.column, i.rule) for p in parsed for i in p.issues if i.severity == "warning"]


def test_nhs_numbers_by_their_check_digit():
    assert nhs_number_is_valid(GOOD_NHS)
    assert not nhs_number_is_valid(BAD_NHS)
    # 000000006: 6 x 2 = 12; 12 mod 11 = 1; 11 - 1 = 10, which no digit can be.
    assert not nhs_number_is_valid("0000000060")
    # 9999999999: 9 x (10+9+...+2) = 486; 486 mod 11 = 2; 11 - 2 = 9: the sum passes, but it is
    # a system's placeholder for "not known", never a person's number.
    assert not nhs_number_is_valid("9999999999")
    assert not nhs_number_is_valid("943476591")  # nine digits


def test_upns_by_their_check_letter():
    assert upn_is_valid(GOOD_UPN)
    assert not upn_is_valid(BAD_UPN)
    assert not upn_is_valid("P20112345678")  # twelve characters
    assert not upn_is_valid("I201123456789")  # I is never a check letter


def test_wrong_identity_values_load_with_a_warning_each_and_are_kept_as_written(tmp_path):
    parsed = read(
        tmp_path,
        f"R1,Amy,03/04/2012,NS4 7AB,{GOOD_NHS},{GOOD_UPN},01/02/2024\n"
        f"R2,Ben,31/04/2015,NS4 7AB,{GOOD_NHS},{GOOD_UPN},01/02/2024\n"  # April has 30 days
        f"R3,Cat,01/13/2015,NS4 7AB,,,01/02/2024\n"  # month 13
        "R4,Dan,03/04/2012, ns4 7a ,,,01/02/2024\n"  # a postcode one letter short
        f"R5,Eve,03/04/2012,,943 476 5918,,01/02/2024\n"
        f"R6,Fay,03/04/2012,,,{BAD_UPN.lower()},01/02/2024\n",
    )
    assert not any(p.has_errors for p in parsed)
    assert warnings(parsed) == [
        (3, "DOB", "date_of_birth"),
        (4, "DOB", "date_of_birth"),
        (5, "Postcode", "postcode"),
        (6, "NHSNo", "nhs_number"),
        (7, "UPN", "upn"),
    ]
    people = {p.identity.record_id: p.identity for p in parsed}
    assert (people["R1"].date_of_birth, people["R1"].date_of_birth_as_written) == (
        date(2012, 4, 3),
        None,
    )
    assert (people["R2"].date_of_birth, people["R2"].date_of_birth_as_written) == (
        None,
        "31/04/2015",
    )
    assert people["R3"].date_of_birth_as_written == "01/13/2015"
    assert people["R4"].postcode == "NS4 7A"  # trimmed and in capitals, not dropped
    assert people["R5"].nhs_number == BAD_NHS  # spaces as written dropped, digits kept
    assert people["R6"].upn == BAD_UPN
    # Every row still gives its event.
    assert [len(p.events) for p in parsed] == [1] * 6
    # No finding echoes an identity value.
    reasons = " ".join(i.reason for p in parsed for i in p.issues)
    assert not any(v in reasons for v in ("31/04/2015", "01/13/2015", "NS4 7A", BAD_NHS))


def test_wrong_values_stay_in_the_enclave_and_out_of_the_analytic_store(tmp_path):
    parsed = read(
        tmp_path,
        f"R1,Amy,03/04/2012,NS4 7AB,{GOOD_NHS},,01/02/2024\n"
        "R2,Ben,31/04/2015,NS4 7A,,,01/02/2024\n",
    )
    staged = Staged()
    tokens = Tokeniser("a test secret of enough length")
    for p in parsed:
        staged.add_identity(p.identity, tokens)
    enclave, analytic, _ = staged.tables(1)
    assert enclave.column("date_of_birth").to_pylist() == [date(2012, 4, 3), None]
    assert enclave.column("date_of_birth_as_written").to_pylist() == [None, "31/04/2015"]
    assert enclave.column("postcode").to_pylist() == ["NS4 7AB", "NS4 7A"]
    assert analytic.column("month_of_birth").to_pylist() == [date(2012, 4, 1), None]
    assert analytic.column("postcode_sector").to_pylist() == ["NS4 7", None]
    assert "date_of_birth_as_written" not in analytic.column_names


def test_a_bad_event_date_is_still_an_error(tmp_path):
    (row,) = read(tmp_path, "R1,Amy,03/04/2012,NS4 7AB,,,31/02/2024\n")
    assert row.has_errors
    assert [(i.row, i.column, i.severity) for i in row.issues] == [(2, "ReportDate", "error")]


def test_a_date_of_birth_in_the_future_is_a_warning_and_gives_no_month_of_birth(tmp_path):
    (row,) = read(tmp_path, "R1,Amy,03/04/2099,NS4 7AB,,,01/02/2024\n")
    assert not row.has_errors
    assert warnings([row]) == [(2, "DOB", "date_of_birth")]
    assert "after the day this file was loaded" in row.issues[0].reason
    # Kept for linkage (a year typed wrong still matches the same typo elsewhere)...
    assert row.identity.date_of_birth == date(2099, 4, 3)
    staged = Staged()
    staged.add_identity(row.identity, Tokeniser("a test secret of enough length"))
    enclave, analytic, _ = staged.tables(1)
    assert enclave.column("date_of_birth").to_pylist() == [date(2099, 4, 3)]
    # ...but no child is counted by an age they cannot have.
    assert analytic.column("month_of_birth").to_pylist() == [None]


def test_a_date_of_birth_after_the_childs_own_event_is_a_warning_keeping_both(tmp_path):
    (row,) = read(tmp_path, "R1,Amy,05/02/2024,NS4 7AB,,,01/02/2024\n")
    assert not row.has_errors
    assert warnings([row]) == [(2, "DOB", "birth_order")]
    assert "missing episode" in row.issues[0].reason
    assert row.identity.date_of_birth == date(2024, 2, 5)
    assert row.events[0].start == date(2024, 2, 1)


def test_one_record_with_two_dates_of_birth_is_a_warning_naming_the_record_and_rows(tmp_path):
    parsed = read(
        tmp_path,
        "R1,Amy,03/04/2012,NS4 7AB,,,01/02/2024\n"
        "R2,Ben,04/05/2013,NS4 7AB,,,01/02/2024\n"
        "R1,Amy,03/04/2012,NS4 7AB,,,01/03/2024\n"  # the same again: nothing to say
        "R1,Amy,04/03/2012,NS4 7AB,,,01/04/2024\n",  # day and month swapped
    )
    assert not any(p.has_errors for p in parsed)
    (conflict,) = [i for p in parsed for i in p.issues]
    assert (conflict.row, conflict.column, conflict.rule) == (5, "DOB", "conflict_date_of_birth")
    assert "record R1" in conflict.reason and "row 2" in conflict.reason
    assert "2012" not in conflict.reason


def test_one_record_with_two_nhs_numbers_is_a_warning(tmp_path):
    # 401 023 2137: 4x10+0+1x8+0+2x6+3x5+2x4+1x3+3x2 = 40+8+12+15+8+3+6 = 92;
    # 92 mod 11 = 4; 11 - 4 = 7, its last digit. Valid, and not R1's first number.
    parsed = read(
        tmp_path,
        f"R1,Amy,03/04/2012,,{GOOD_NHS},,01/02/2024\nR1,Amy,03/04/2012,,4010232137,,01/03/2024\n",
    )
    assert warnings(parsed) == [(3, "NHSNo", "conflict_nhs_number")]


def test_a_repeated_bad_value_is_one_warning_for_its_record(tmp_path):
    parsed = read(
        tmp_path,
        "R1,Amy,31/04/2015,NS4 7AB,,,01/02/2024\nR1,Amy,31/04/2015,NS4 7AB,,,01/03/2024\n",
    )
    assert warnings(parsed) == [(2, "DOB", "date_of_birth")]


@pytest.mark.parametrize(
    "dob, as_written", [("31/04/2015", "31/04/2015"), ("01/13/2015", "01/13/2015")]
)
def test_an_ssda903_date_of_birth_that_is_not_a_real_date_is_a_warning(tmp_path, dob, as_written):
    path = tmp_path / "header.csv"
    path.write_text(
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
        f"C1,1,{dob},WBRI,{GOOD_UPN},,\n"
        "C2,2,03/04/2012,WBRI,,,\n"
    )
    spec = ssda903.recognise(["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"])
    assert spec is not None
    parsed = [p for p in ssda903.read(path, "council", spec) if p.is_row]
    assert not any(p.has_errors for p in parsed)
    assert warnings(parsed) == [(2, "DOB", "date_of_birth")]
    assert (parsed[0].identity.date_of_birth, parsed[0].identity.date_of_birth_as_written) == (
        None,
        as_written,
    )
    assert parsed[1].identity.date_of_birth == date(2012, 4, 3)


def test_a_cin_census_birth_date_that_is_not_a_real_date_is_a_warning(tmp_path):
    child = (
        "<Child><ChildIdentifiers><LAchildID>{id}</LAchildID>"
        "<PersonBirthDate>{dob}</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>"
        "<CINdetails><CINreferralDate>2024-05-01</CINreferralDate></CINdetails></Child>"
    )
    path = tmp_path / "c.xml"
    path.write_text(
        '<?xml version="1.0"?><Message><Header/><Children>'
        + child.format(id="A1", dob="2015-02-30")  # February never has 30 days
        + child.format(id="A2", dob="2099-06-01")  # after the load
        + "</Children></Message>"
    )
    first, second = list(cin_census.read(path, "council"))
    assert not first.has_errors and not second.has_errors
    assert warnings([first, second]) == [
        (1, "PersonBirthDate", "date_of_birth"),
        (2, "PersonBirthDate", "date_of_birth"),
    ]
    assert (first.identity.date_of_birth, first.identity.date_of_birth_as_written) == (
        None,
        "2015-02-30",
    )
    assert second.identity.date_of_birth == date(2099, 6, 1)
    assert second.identity.date_of_birth_impossible
    assert [e.kind for e in first.events] == ["referral", "cin_episode"]  # the events still load
