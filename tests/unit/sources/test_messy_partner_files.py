"""Messy files told apart from wrong ones (issue 13, item 4): decoding by the bytes present,
duplicated headers refused naming both columns, formula-like values neutralised on the way out."""

import pytest

from placewise.sharing.spreadsheet_cells import cell
from placewise.sources import archive
from placewise.sources.canonical import FileRejected
from placewise.sources.readers import annex_a, csvfile, partner, ssda903

MAPPING = """[source]
name = "northshire_police"
organisation = "Northshire Police"
[identity]
record_id = "Ref"
given_name = "Forename"
family_name = "Surname"
date_of_birth = "DOB"
date_format = "%d/%m/%Y"
[[events]]
kind = "missing_episode"
start = "ReportDate"
"""
HEADER = "Ref,Forename,Surname,DOB,ReportDate\n"


def read(tmp_path, body: bytes, header: str | bytes = HEADER):
    (tmp_path / "m.toml").write_text(MAPPING)
    (tmp_path / "p.csv").write_bytes(
        (header if isinstance(header, bytes) else header.encode()) + body
    )
    return list(partner.read(tmp_path / "p.csv", partner.load_mapping(tmp_path / "m.toml")))


def test_a_utf8_file_with_one_windows_1252_byte_keeps_its_other_accents(tmp_path):
    # "Zoë" in UTF-8 is 5A 6F C3 AB; "Renée" typed in an old Windows program is 52 65 6E E9 65,
    # and E9 followed by "e" is not UTF-8.
    parsed = read(
        tmp_path,
        "R1,Zoë,Brontë,03/04/2012,01/02/2024\n".encode()
        + b"R2,Ren\xe9e,Smith,03/04/2012,01/02/2024\n",
    )
    assert [p.identity.given_name for p in parsed] == ["Zoë", "Renée"]
    assert parsed[0].identity.family_name == "Brontë"
    assert not parsed[0].issues
    (stray,) = parsed[1].issues
    assert (stray.row, stray.column, stray.severity, stray.rule) == (
        3,
        "Forename",
        "warning",
        "encoding",
    )
    assert not parsed[1].has_errors


def test_a_stray_byte_far_into_the_file_is_read_the_same_way(tmp_path):
    # Past the first 64 KiB, where the encoding used to be guessed from: the UTF-8 name comes
    # after the stray byte, so only the whole file says it is UTF-8.
    filler = b"".join(b"R%d,Amy,Smith,03/04/2012,01/02/2024\n" % n for n in range(3, 3003))
    parsed = read(
        tmp_path,
        b"R1,Ren\xe9e,Smith,03/04/2012,01/02/2024\n"
        + filler
        + "R2,Zoë,Smith,03/04/2012,01/02/2024\n".encode(),
    )
    names = {p.identity.record_id: p.identity.given_name for p in parsed}
    assert (names["R1"], names["R2"]) == ("Renée", "Zoë")
    assert [(i.row, i.column) for p in parsed for i in p.issues] == [(2, "Forename")]


def test_a_wholly_windows_1252_file_is_read_as_windows_1252_without_warnings(tmp_path):
    parsed = read(
        tmp_path,
        b"R1,Zo\xeb,Bront\xeb,03/04/2012,01/02/2024\nR2,Ren\xe9e,Smith,03/04/2012,01/02/2024\n",
    )
    assert [p.identity.given_name for p in parsed] == ["Zoë", "Renée"]
    assert not [i for p in parsed for i in p.issues]


def test_a_stray_byte_in_a_statutory_return_is_a_warning_on_its_row(tmp_path):
    path = tmp_path / "missing.csv"
    path.write_bytes(
        b"CHILD,DOB,MISSING,MIS_START,MIS_END\nC1,01/01/2010,M,01/02/2024,02/02/2024\n"
        + b"C\xe92,01/01/2010,M,01/02/2024,02/02/2024\n"
        + "Cë3,01/01/2010,M,01/02/2024,02/02/2024\n".encode()  # UTF-8: the file is UTF-8
    )
    spec = ssda903.recognise(["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"])
    assert spec is not None
    rows = [p for p in ssda903.read(path, "council", spec) if p.is_row]
    assert [(i.row, i.column, i.rule) for p in rows for i in p.issues] == [(3, "CHILD", "encoding")]
    assert [r.events[0].record_id for r in rows] == ["C1", "Cé2", "Cë3"]


def test_rows_keep_giving_plain_cells_to_callers_that_only_want_cells(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(b"A,B\nx,Ren\xe9e\n" + "y,Zoë\n".encode())
    assert [cells for _, cells in csvfile.rows(path)] == [["x", "Renée"], ["y", "Zoë"]]


def test_a_mapped_column_twice_is_refused_naming_both(tmp_path):
    with pytest.raises(FileRejected) as refused:
        read(
            tmp_path,
            b"R1,Amy,Smith,03/04/2012,01/02/2024,04/05/2013\n",
            header="Ref,Forename,Surname,DOB,ReportDate,dob \n",
        )
    message = str(refused.value)
    # D is the fourth column, F the sixth.
    assert "columns D ('DOB') and F ('dob ')" in message and "row 1" in message


def test_a_column_the_mapping_does_not_use_may_appear_twice(tmp_path):
    parsed = read(
        tmp_path,
        b"R1,Amy,Smith,03/04/2012,01/02/2024,a,b\n",
        header="Ref,Forename,Surname,DOB,ReportDate,Notes,Notes\n",
    )
    assert parsed[-1].identity.given_name == "Amy" and not parsed[-1].has_errors


def test_an_ambiguous_annex_a_header_is_refused_naming_both_columns(tmp_path):
    # "Gender" and "Sex" are two names for one Annex A column: which is meant cannot be told.
    path = tmp_path / "list1.csv"
    path.write_text(
        "Child Unique ID,Gender,Ethnicity,Date of Birth,Sex,Date of Contact,Contact Source\n"
        "C1,a) Male,a) WBRI,02/04/2015,b) Female,01/05/2024,6\n"
    )
    with pytest.raises(FileRejected, match=r"columns B \('Gender'\) and E \('Sex'\)"):
        list(annex_a.read_csv(path, "council", annex_a.recognise(csvfile.read_header(path))))


@pytest.mark.parametrize(
    "value, written",
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+44 1234", "'+44 1234"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-3", "-3"),  # a negative number written as text stays a number
        ("-0.25", "-0.25"),
        ("+1.5e3", "+1.5e3"),
        (-3, -3),
        (-0.25, -0.25),
        ("North team", "North team"),
        ("a=b", "a=b"),  # only the start of a cell makes a formula
        ("", ""),
        (None, None),
    ],
)
def test_formula_like_values_are_neutralised_and_numbers_left_alone(value, written):
    assert cell(value) == written


def test_a_stray_byte_in_the_header_is_a_warning_naming_the_column_by_letter(tmp_path):
    # "Notés" with é as Windows-1252 (E9) in the sixth column, F; "Zoë" below is UTF-8.
    parsed = read(
        tmp_path,
        "R1,Zoë,Smith,03/04/2012,01/02/2024,x\n".encode(),
        header=b"Ref,Forename,Surname,DOB,ReportDate,Not\xe9s\n",
    )
    header = [i for p in parsed if not p.is_row for i in p.issues if i.rule == "encoding"]
    assert [(i.row, i.column, i.severity) for i in header] == [(1, "F", "warning")]
    assert parsed[-1].identity.given_name == "Zoë"


def test_a_csv_carrying_a_zip_end_record_by_chance_is_measured_as_text(tmp_path):
    # Found by the property test: "PK\x05\x06" overwriting a cell made zipfile take the CSV for a
    # damaged archive, and the load failed with a traceback instead of reading it.
    path = tmp_path / "episodes.csv"
    path.write_bytes(b"CHILD,DECOM\nC1,PK\x05\x06/2024\n")
    assert archive.unpacked_size(path) == path.stat().st_size
