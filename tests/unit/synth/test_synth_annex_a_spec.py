"""The synthetic Annex A writer and the Annex A reader share one spec, so they cannot drift: every
header written is one the reader knows for that column, and every row written is read."""

from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from placewise.sources.readers import annex_a
from placewise.sources.readers.spec import AGE, LISTS
from placewise.sources.readers.tabular import header_index
from placewise.sources.values import normalise_header
from placewise.synth import annex_a as writer
from placewise.synth.place import generate


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small place in which every list has rows: 1,500 children, 3 years, seed 8. With fewer
    children or another seed Lists 9 to 11 are often empty, and the tests below would prove less."""
    out = tmp_path_factory.mktemp("place") / "northshire"
    generate(out, children=1500, years=3, seed=8)
    return out / "council" / "annex_a.xlsx"


def written(path: Path) -> dict[int, tuple[list[object], int]]:
    """Each list's header row and how many rows with anything in them follow it."""
    book = load_workbook(path, read_only=True)
    try:
        found = {}
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = list(next(rows))
            filled = sum(1 for row in rows if any(v not in (None, "") for v in row))
            found[int(sheet.title.removeprefix("List "))] = (header, filled)
        return found
    finally:
        book.close()


def test_every_list_is_written_in_its_spec_columns_under_headers_the_reader_knows(workbook):
    lists = written(workbook)
    assert list(lists) == list(LISTS)
    for number, (header, rows) in lists.items():
        columns = LISTS[number].columns
        assert rows > 0, f"List {number} is empty: the place proves nothing about it"
        assert len(header) == len(columns), f"List {number}"
        for cell, column in zip(header, columns, strict=True):
            known = {normalise_header(name) for name in (column.header, *column.aliases)}
            assert normalise_header(cell) in known, f"List {number}: {cell!r} for {column.key}"
        # Each column is found where it was written, by the reader's own matching.
        assert header_index(LISTS[number], header) == {c.key: i for i, c in enumerate(columns)}


def test_the_reader_reads_every_row_the_writer_wrote(workbook):
    lists = written(workbook)
    parsed = list(annex_a.read_xlsx(workbook, "council_csc"))
    assert all(p.is_row for p in parsed), "a header-level finding: a column the reader missed"
    assert not [i for p in parsed for i in p.issues if i.severity == "error"]
    assert all(len(p.events) == 1 for p in parsed)
    # Each list records its own kind of event, so events by kind are rows read by list.
    read = Counter(p.events[0].kind for p in parsed)
    assert {n: read[LISTS[n].event_kind] for n in LISTS} == {n: r for n, (_, r) in lists.items()}


def test_the_header_drift_is_real_and_each_drifted_header_still_reads_as_its_column():
    for number, drift in writer.DRIFT.items():
        columns = {c.key: c for c in LISTS[number].columns}
        for key, drifted in drift.items():
            column = columns[key]
            header = drifted(column)
            assert header != column.header, f"List {number}: {key} is not drifted"
            assert header in column.aliases or normalise_header(header) == normalise_header(
                column.header
            ), f"List {number}: {header!r}"


def test_a_header_the_spec_does_not_declare_is_refused(monkeypatch):
    with pytest.raises(ValueError, match="not a declared alias"):
        writer.alias("Years old")(AGE)
    monkeypatch.setitem(writer.DRIFT, 2, {"eh_org": lambda column: "Who did it"})
    with pytest.raises(ValueError, match="would not read as"):
        writer.headers(2)
    monkeypatch.setitem(writer.DRIFT, 2, {"no_such_column": writer.trailing_space})
    with pytest.raises(ValueError, match="no column"):
        writer.headers(2)
