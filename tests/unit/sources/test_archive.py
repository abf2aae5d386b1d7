"""A workbook's zip archive is judged from its directory before anything in it is unpacked."""

import zipfile

import pytest

from placewise.sources.archive import Limits, check_workbook
from placewise.sources.canonical import FileRejected

DEFAULTS = Limits(uncompressed_bytes=2**30, ratio=100, members=10_000)


def workbook(path, **parts: str):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for name, text in parts.items():
            archive.writestr(f"xl/{name}.xml", text)
    return path


def test_the_synthetic_annex_a_workbook_is_within_the_default_limits(small_place):
    check_workbook(small_place / "council" / "annex_a.xlsx", DEFAULTS)  # refuses by raising


def test_a_part_unpacking_past_the_ratio_is_refused_by_name(tmp_path):
    path = workbook(tmp_path / "bomb.xlsx", sharedStrings="0" * 10_000_000)
    with pytest.raises(FileRejected, match="PLACEWISE_MAX_COMPRESSION_RATIO") as refused:
        check_workbook(path, DEFAULTS)
    assert "xl/sharedStrings.xml would unpack to 10,000,000 bytes" in refused.value.reason


def test_a_part_too_small_to_matter_may_compress_as_well_as_it_likes(tmp_path):
    # 100 KiB of one character deflates several hundredfold, and exhausts nothing.
    check_workbook(workbook(tmp_path / "ok.xlsx", sheet1=" " * 102_400), DEFAULTS)
    with pytest.raises(FileRejected, match="PLACEWISE_MAX_COMPRESSION_RATIO"):
        check_workbook(workbook(tmp_path / "over.xlsx", sheet1=" " * 102_401), DEFAULTS)


def test_a_directory_declaring_65535_parts_is_refused_before_zipfile_reads_them(tmp_path):
    # A zip records 65,535 (its most) when it has that many parts or more: forge that count.
    path = workbook(tmp_path / "many.xlsx")
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = b"\xff\xff\xff\xff"  # parts on this disk, parts in all
    path.write_bytes(bytes(data))
    with pytest.raises(FileRejected) as refused:
        check_workbook(path, DEFAULTS)
    assert refused.value.reason.startswith(
        "the workbook is made of at least 65,535 parts, over this place's limit of 10,000 "
        "(PLACEWISE_MAX_ARCHIVE_MEMBERS)"
    )


def test_a_zip_whose_directory_is_missing_is_damaged(tmp_path):
    path = tmp_path / "cut.xlsx"
    path.write_bytes(workbook(tmp_path / "whole.xlsx").read_bytes()[:40])
    with pytest.raises(FileRejected, match="looks like a zip archive but is damaged"):
        check_workbook(path, DEFAULTS)
