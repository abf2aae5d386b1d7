import zipfile

import pytest

from placewise.sources.canonical import FileRejected
from placewise.sources.detect import recognise


def detect(path, mapping=None, max_bytes=10_000_000):
    return recognise(
        path,
        council_source="council",
        council_organisation="Council",
        mapping=mapping,
        max_bytes=max_bytes,
    )


def test_an_empty_file_is_rejected(tmp_path):
    (tmp_path / "e.csv").write_bytes(b"")
    with pytest.raises(FileRejected, match="empty"):
        detect(tmp_path / "e.csv")


def test_a_file_over_the_limit_is_rejected_before_reading(tmp_path):
    (tmp_path / "big.csv").write_text("a,b\n" * 100)
    with pytest.raises(FileRejected, match="over this place's limit"):
        detect(tmp_path / "big.csv", max_bytes=100)


def test_a_zip_that_is_not_a_workbook_is_rejected(tmp_path):
    with zipfile.ZipFile(tmp_path / "x.xlsx", "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(FileRejected, match="not an Excel workbook"):
        detect(tmp_path / "x.xlsx")


def test_text_named_xlsx_is_judged_by_content(tmp_path):
    path = tmp_path / "episodes.xlsx"
    path.write_text("CHILD,DOB,MISSING,MIS_START,MIS_END\nC1,01/01/2010,M,01/02/2024,\n")
    found = detect(path)
    assert (found.format, found.detail) == ("ssda903", "missing")


def test_old_xls_is_refused_with_advice(tmp_path):
    (tmp_path / "a.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(FileRejected, match=r"save it as \.xlsx"):
        detect(tmp_path / "a.xls")


def test_an_unrecognised_csv_names_its_header(tmp_path):
    (tmp_path / "x.csv").write_text("Colour,Shape\nred,round\n")
    with pytest.raises(FileRejected, match="Colour, Shape"):
        detect(tmp_path / "x.csv")


def test_binary_noise_is_not_csv(tmp_path):
    (tmp_path / "x.csv").write_bytes(b"\x00\x01\x02garbage")
    with pytest.raises(FileRejected, match="binary"):
        detect(tmp_path / "x.csv")
