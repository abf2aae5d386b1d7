from datetime import date

import pytest

from placewise.sources.canonical import FileRejected
from placewise.sources.readers import partner

MAPPING = """[source]
name = "northshire_police"
organisation = "Northshire Police"
[identity]
record_id = "Ref"
given_name = "Forename"
family_name = "Surname"
date_of_birth = "DOB"
date_format = "%d/%m/%Y"
sex = "Gender"
postcode = "Postcode"
[[events]]
kind = "missing_episode"
start = "ReportDate"
end = "ReturnDate"
"""
HEADER = "Ref,Forename,Surname,DOB,Gender,Postcode,ReportDate,ReturnDate\n"


def files(tmp_path, body, mapping=MAPPING):
    (tmp_path / "m.toml").write_text(mapping)
    (tmp_path / "p.csv").write_text(body)
    return partner.load_mapping(tmp_path / "m.toml"), tmp_path / "p.csv"


def test_rows_become_identity_and_events(tmp_path):
    mapping, path = files(
        tmp_path, HEADER + "MP1,Amy,Smith,03/04/2012,F,ns47ab,01/02/2024,02/02/2024\n"
    )
    (row,) = list(partner.read(path, mapping))
    assert (row.identity.given_name, row.identity.date_of_birth, row.identity.postcode) == (
        "Amy",
        date(2012, 4, 3),
        "NS4 7AB",
    )
    assert (row.events[0].kind, row.events[0].start, row.events[0].end) == (
        "missing_episode",
        date(2024, 2, 1),
        date(2024, 2, 2),
    )


def test_a_column_named_in_the_mapping_but_missing_rejects_the_file(tmp_path):
    mapping, path = files(tmp_path, "Ref,Forename,Surname,DOB,Gender,Postcode,ReportDate\nMP1\n")
    with pytest.raises(FileRejected, match="ReturnDate"):
        list(partner.read(path, mapping))


def test_a_row_with_missing_fields_is_an_error_on_its_row(tmp_path):
    mapping, path = files(tmp_path, HEADER + "MP1,Amy,Smith,03/04/2012,F,NS4 7AB,01/02/2024\n")
    (row,) = list(partner.read(path, mapping))
    assert row.has_errors and row.issues[0].row == 2 and "7 fields" in row.issues[0].reason


def test_an_event_date_in_the_wrong_layout_for_the_mapping_is_an_error(tmp_path):
    mapping, path = files(tmp_path, HEADER + "MP1,Amy,Smith,03/04/2012,F,NS4 7AB,2024-02-01,\n")
    (row,) = list(partner.read(path, mapping))
    assert row.has_errors and row.issues[0].column == "ReportDate"


def test_a_date_of_birth_in_the_wrong_layout_is_kept_as_written_with_a_warning(tmp_path):
    mapping, path = files(tmp_path, HEADER + "MP1,Amy,Smith,2012-04-03,F,NS4 7AB,01/02/2024,\n")
    (row,) = list(partner.read(path, mapping))
    assert not row.has_errors
    assert (row.identity.date_of_birth, row.identity.date_of_birth_as_written) == (
        None,
        "2012-04-03",
    )
    (warning,) = row.issues
    assert (warning.severity, warning.row, warning.column) == ("warning", 2, "DOB")
    assert "2012-04-03" not in warning.reason  # a date of birth is never echoed


@pytest.mark.parametrize(
    "bad, message",
    [
        ("[source]\nname='x'\n", "organisation"),
        ("[source]\nname='x'\norganisation='y'\n[identity]\ngiven_name='A'\n", "record_id"),
        (
            "[source]\nname='x'\norganisation='y'\n[identity]\nrecord_id='R'\nshoe_size='S'\n",
            "unknown identity field",
        ),
        ("[source\n", "not valid TOML"),
    ],
)
def test_mistakes_in_a_mapping_file_are_named(tmp_path, bad, message):
    (tmp_path / "m.toml").write_text(bad)
    with pytest.raises(FileRejected, match=message):
        partner.load_mapping(tmp_path / "m.toml")
