"""Uploads cannot exhaust the server (issue 12, defect 7). A workbook that would unpack past this
place's limits is refused from its zip directory before it is opened; a file with too many rows, a
row with too many fields or a cell too long is refused whole at the first one, with its row and
column; an XML file with nobody in it is not loaded as the council's census. Every refusal names
the limit and the setting that changes it, and nothing is loaded; a file within each limit loads."""

import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook

from placewise.sharing import actors
from placewise.sources.actions import ingest
from tests.conftest import store_snapshot
from tests.integration.sources.test_read_bounds import MAPPING
from tests.unit.sources.test_cin_census import CHILD, census

pytestmark = pytest.mark.django_db

HEADER = "PersonID,Forename,Surname,DOB,Postcode"

# Just enough of a workbook for the archive to pass as one: its content types and workbook part.
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheets><sheet name="List 1" sheetId="1"/></sheets></workbook>'
)
SHARED_STRING = "<si><t>Child Unique ID</t></si>"  # 31 characters

LIST_1 = (
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age",
    "Date of Contact",
    "Contact Source",
)


def extract(folder, *rows: str):
    """A health trust extract with these rows under its header, and its mapping beside it."""
    path = folder / "extract.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    (folder / "extract.toml").write_text(MAPPING, encoding="utf-8")
    return path


def person(n: int) -> str:
    return f"P{n:07d},Forename{n},Surname{n},2015-03-04,NS1 {n % 9}AB"


def list_1(path, rows: int):
    """An Annex A workbook of one sheet, List 1, with this many contacts under its header."""
    book = Workbook()
    sheet = book.active
    sheet.title = "List 1"
    sheet.append(LIST_1)
    for n in range(rows):
        sheet.append(
            (
                f"CH9{n:05d}",
                "b) Female",
                "a) WBRI",
                datetime(2012, 1, 1),
                11,
                datetime(2023, 6, 1),
                "k) 3E",
            )
        )
    book.save(path)
    return path


def rewrite(path, part: str, old: str, new: str) -> None:
    """Replace text in one part of a workbook, as a program other than openpyxl might write it."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    assert old.encode() in parts[part]
    parts[part] = parts[part].replace(old.encode(), new.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def refused(path):
    """Ingest the file, require a refusal that changed neither store, and give its outcome."""
    before = store_snapshot()
    outcome = ingest(path, by=actors.command_line(), run_dfe=False)
    assert outcome.status == "rejected", outcome.message
    assert store_snapshot() == before
    return outcome


def the_problem(outcome):
    (problem,) = [i for i in outcome.issues if i.severity == "error"]
    return problem


# Workbooks, checked from the zip directory before they are opened


def test_a_workbook_whose_shared_strings_unpack_a_thousandfold_is_refused(fresh_stores, tmp_path):
    # The tester's repro in small: 20 MB of shared strings that deflate to about 20 KB.
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/sharedStrings.xml", "<sst>" + SHARED_STRING * 700_000 + "</sst>")
    assert path.stat().st_size < 100_000
    outcome = refused(path)
    # 5 + 31 × 700,000 + 6 characters, all ASCII.
    assert "xl/sharedStrings.xml would unpack to 21,700,011 bytes" in outcome.message
    assert "over this place's limit of 100 times (PLACEWISE_MAX_COMPRESSION_RATIO)" in (
        outcome.message
    )
    # Refused by the archive check, before openpyxl could try to read the skeleton.
    assert "not a readable Excel workbook" not in outcome.message
    assert outcome.load is not None and outcome.load.status == "rejected"


def test_a_workbook_that_would_unpack_past_the_size_limit_is_refused(
    fresh_stores, settings, tmp_path
):
    # Stored, not compressed: a ratio of 1, so only the size can refuse it.
    settings.PLACEWISE_MAX_UNCOMPRESSED_BYTES = 1_000_000
    path = tmp_path / "large.xlsx"
    strings = "<sst>" + SHARED_STRING * 40_000 + "</sst>"  # 5 + 31 × 40,000 + 6 characters
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/sharedStrings.xml", strings)
    total = len(CONTENT_TYPES) + len(WORKBOOK) + 1_240_011
    outcome = refused(path)
    assert (
        f"the workbook would unpack to {total:,} bytes, over this place's limit of 1,000,000 "
        "(PLACEWISE_MAX_UNCOMPRESSED_BYTES)"
    ) in outcome.message


def test_a_workbook_of_too_many_parts_is_refused(fresh_stores, settings, tmp_path):
    settings.PLACEWISE_MAX_ARCHIVE_MEMBERS = 3
    path = tmp_path / "parts.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/sharedStrings.xml", "<sst/>")
        archive.writestr("docProps/app.xml", "<Properties/>")
    outcome = refused(path)
    assert (
        "the workbook is made of 4 parts, over this place's limit of 3 "
        "(PLACEWISE_MAX_ARCHIVE_MEMBERS)"
    ) in outcome.message


def test_the_synthetic_annex_a_workbook_loads_within_tight_archive_limits(
    fresh_stores, settings, small_place
):
    path = small_place / "council" / "annex_a.xlsx"
    with zipfile.ZipFile(path) as archive:
        parts = archive.infolist()
    settings.PLACEWISE_MAX_ARCHIVE_MEMBERS = len(parts)
    settings.PLACEWISE_MAX_UNCOMPRESSED_BYTES = sum(p.file_size for p in parts)
    settings.PLACEWISE_MAX_COMPRESSION_RATIO = 20  # its parts unpack to about 10 times
    outcome = ingest(path, by=actors.command_line(), run_dfe=False)
    assert outcome.status == "loaded", outcome.message
    assert outcome.rows_loaded > 0


# Rows, fields and cells: CSV


def test_a_file_with_more_rows_than_the_limit_is_refused_at_the_first_past_it(
    fresh_stores, settings, tmp_path
):
    settings.PLACEWISE_MAX_ROWS = 10
    outcome = refused(extract(tmp_path, *(person(n) for n in range(11))))
    assert "more than this place's limit of 10 rows (PLACEWISE_MAX_ROWS)" in outcome.message
    assert the_problem(outcome).row == 12  # the header is row 1, the 11th person row 12


def test_a_file_with_as_many_rows_as_the_limit_loads(fresh_stores, settings, tmp_path):
    settings.PLACEWISE_MAX_ROWS = 10
    outcome = ingest(
        extract(tmp_path, *(person(n) for n in range(10))), by=actors.command_line(), run_dfe=False
    )
    assert outcome.status == "loaded", outcome.message
    assert outcome.rows_loaded == 10


def test_a_row_of_more_fields_than_the_limit_is_refused_with_its_row(fresh_stores, tmp_path):
    wide = "P0000002," + ",".join(["x"] * 1000)  # 1,001 fields
    outcome = refused(extract(tmp_path, person(0), person(1), wide))
    assert "the row has 1,001 fields, over this place's limit of 1,000 (PLACEWISE_MAX_FIELDS)" in (
        outcome.message
    )
    assert the_problem(outcome).row == 4


def test_rows_exactly_as_wide_as_the_limit_load(fresh_stores, settings, tmp_path):
    settings.PLACEWISE_MAX_FIELDS = 5  # PersonID, Forename, Surname, DOB, Postcode
    outcome = ingest(
        extract(tmp_path, person(0), person(1)), by=actors.command_line(), run_dfe=False
    )
    assert outcome.status == "loaded", outcome.message
    assert outcome.rows_loaded == 2


def test_a_cell_longer_than_excel_allows_is_refused_with_its_row_and_column(fresh_stores, tmp_path):
    long = "P0000001," + "A" * 32_768 + ",Surname1,2015-03-04,NS1 1AB"
    outcome = refused(extract(tmp_path, person(0), long))
    assert (
        "the cell is 32,768 characters long, over this place's limit of 32,767 "
        "(PLACEWISE_MAX_CELL_CHARS)"
    ) in outcome.message
    problem = the_problem(outcome)
    assert (problem.row, problem.column) == (3, "Forename")
    assert "AAAA" not in outcome.message  # the cell itself is never echoed back


def test_a_cell_of_megabytes_is_refused_by_the_csv_cap_with_its_row(fresh_stores, tmp_path):
    # Past the csv module's own cap of 1 MiB the row is never whole, so its column is unknown.
    huge = "P0000001," + "A" * (2 * 2**20) + ",Surname1,2015-03-04,NS1 1AB"
    outcome = refused(extract(tmp_path, person(0), huge))
    assert (
        "a cell is longer than 1,048,576 characters, over this place's limit of 32,767 "
        "(PLACEWISE_MAX_CELL_CHARS)"
    ) in outcome.message
    assert the_problem(outcome).row == 3


def test_a_cell_exactly_as_long_as_the_limit_loads(fresh_stores, settings, tmp_path):
    settings.PLACEWISE_MAX_CELL_CHARS = len("2015-03-04")  # the longest cells, the dates
    outcome = ingest(
        extract(tmp_path, person(0), person(1)), by=actors.command_line(), run_dfe=False
    )
    assert outcome.status == "loaded", outcome.message


def test_a_quote_never_closed_is_refused_once_the_row_outgrows_the_limits(
    fresh_stores, settings, tmp_path
):
    # A row within 5 fields of 10 characters is at most 5 × (2 × 10 + 3) = 115 characters.
    settings.PLACEWISE_MAX_CELL_CHARS = 10
    settings.PLACEWISE_MAX_FIELDS = 5
    settings.PLACEWISE_MAX_ROWS = 1000
    # Headers are short, so only the person rows can outgrow it.
    unclosed = 'P0000001,"Forename1,Surname1,2015-03-04,NS1 1AB'
    outcome = refused(extract(tmp_path, person(0), unclosed, *(person(n) for n in range(2, 50))))
    assert "the row is longer than 115 characters" in outcome.message
    assert "(PLACEWISE_MAX_FIELDS)" in outcome.message
    assert "(PLACEWISE_MAX_CELL_CHARS)" in outcome.message
    assert the_problem(outcome).row == 3


# Rows, fields and cells: workbooks


def test_a_workbook_with_more_rows_than_the_limit_is_refused(fresh_stores, settings, tmp_path):
    settings.PLACEWISE_MAX_ROWS = 2
    outcome = refused(list_1(tmp_path / "annex_a.xlsx", rows=3))
    assert "sheet 'List 1': the file has more than this place's limit of 2 rows" in (
        outcome.message
    )
    assert the_problem(outcome).row == 4


def test_a_workbook_with_as_many_rows_as_the_limit_loads(fresh_stores, settings, tmp_path):
    settings.PLACEWISE_MAX_ROWS = 3
    outcome = ingest(
        list_1(tmp_path / "annex_a.xlsx", rows=3), by=actors.command_line(), run_dfe=False
    )
    assert outcome.status == "loaded", outcome.message
    assert outcome.rows_loaded == 3


def test_a_workbook_cell_longer_than_excel_allows_is_refused(fresh_stores, tmp_path):
    from openpyxl import load_workbook

    path = list_1(tmp_path / "annex_a.xlsx", rows=3)
    book = load_workbook(path)
    book["List 1"]["G3"] = "LONG"  # Contact Source, the second contact
    book.save(path)
    # openpyxl cuts what it writes to Excel's limit; another program need not.
    rewrite(path, "xl/worksheets/sheet1.xml", "<t>LONG</t>", "<t>" + "k" * 32_768 + "</t>")
    outcome = refused(path)
    assert "sheet 'List 1': the cell is 32,768 characters long" in outcome.message
    problem = the_problem(outcome)
    assert (problem.row, problem.column) == (3, "Contact Source")


def test_a_workbook_row_filled_past_the_field_limit_is_refused(fresh_stores, tmp_path):
    from openpyxl import load_workbook

    path = list_1(tmp_path / "annex_a.xlsx", rows=3)
    book = load_workbook(path)
    book["List 1"].cell(row=4, column=1001, value="stray")
    book.save(path)
    outcome = refused(path)
    assert "sheet 'List 1': the row has 1,001 fields, over this place's limit of 1,000" in (
        outcome.message
    )
    assert the_problem(outcome).row == 4


# XML that is not a census


def test_an_xml_message_with_no_children_is_not_loaded_as_the_census(fresh_stores, tmp_path):
    path = tmp_path / "message.xml"
    path.write_text('<?xml version="1.0"?><Message><Header/></Message>')
    outcome = refused(path)
    assert "an XML file, but not a CIN census: it has no <Child> elements" in outcome.message
    assert "loaded" not in outcome.message.replace("nothing was loaded", "")


def test_an_xml_of_another_kind_is_refused(fresh_stores, tmp_path):
    path = tmp_path / "foo.xml"
    path.write_text("<foo><bar/></foo>")
    outcome = refused(path)
    assert "XML root is <foo>, not a CIN census <Message>" in outcome.message


def test_children_outside_message_children_are_not_a_census(fresh_stores, tmp_path):
    path = tmp_path / "astray.xml"
    one = CHILD.format(id="A1", sex="<Sex>F</Sex>")
    path.write_text(f'<?xml version="1.0"?><Message><Header/>{one}{one}</Message>')
    outcome = refused(path)
    assert "not a CIN census: its 2 <Child> elements are not inside <Message><Children>" in (
        outcome.message
    )


def test_a_census_of_one_child_loads(fresh_stores, tmp_path):
    path = census(tmp_path, CHILD.format(id="A1", sex="<Sex>F</Sex>"))
    outcome = ingest(path, by=actors.command_line(), run_dfe=False)
    assert outcome.status == "loaded", outcome.message
    assert (outcome.rows_loaded, outcome.identities) == (1, 1)


def test_a_census_of_more_children_than_the_row_limit_is_refused(fresh_stores, settings, tmp_path):
    settings.PLACEWISE_MAX_ROWS = 2
    path = census(tmp_path, *(CHILD.format(id=f"A{n}", sex="<Sex>F</Sex>") for n in range(3)))
    outcome = refused(path)
    assert "more than this place's limit of 2 rows (PLACEWISE_MAX_ROWS)" in outcome.message
    assert the_problem(outcome).row == 3  # the third child
