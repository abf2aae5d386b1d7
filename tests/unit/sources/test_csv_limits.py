"""CSV rows are bounded as they are read, the header in the server's own process included."""

import pytest

from placewise.sources.canonical import FileRejected
from placewise.sources.readers import csvfile


def test_a_header_row_longer_than_any_header_is_refused_before_it_is_held(settings, tmp_path):
    # 5 column names of at most 256 characters: a header row of at most 1,280.
    settings.PLACEWISE_MAX_FIELDS = 5
    path = tmp_path / "wide.csv"
    path.write_text("," * 2_000 + "\nP1\n")
    with pytest.raises(FileRejected) as refused:
        csvfile.read_header(path)
    assert refused.value.row == 1
    assert refused.value.reason.startswith("the header row is longer than 1,280 characters")


def test_a_header_of_more_fields_than_the_limit_is_refused(settings, tmp_path):
    settings.PLACEWISE_MAX_FIELDS = 3
    path = tmp_path / "four.csv"
    path.write_text("a,b,c,d\n1,2,3,4\n")
    with pytest.raises(FileRejected, match=r"4 fields, over this place's limit of 3 \(PLACE"):
        csvfile.read_header(path)


def test_trailing_empty_fields_do_not_count_towards_the_field_limit(settings, tmp_path):
    # Exports often pad rows with commas out to the widest row; only filled fields count.
    settings.PLACEWISE_MAX_FIELDS = 3
    path = tmp_path / "padded.csv"
    path.write_text("a,b,c\n1,2,3,,,,\n")
    assert list(csvfile.rows(path)) == [(2, ["1", "2", "3", "", "", "", ""])]


def test_blank_lines_count_as_rows(settings, tmp_path):
    settings.PLACEWISE_MAX_ROWS = 2
    path = tmp_path / "blanks.csv"
    path.write_text("a,b\n1,2\n\n\n")
    with pytest.raises(FileRejected, match="limit of 2 rows") as refused:
        list(csvfile.rows(path))
    assert refused.value.row == 4
