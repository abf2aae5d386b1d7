"""Ofsted Annex A: an xlsx workbook of Lists 1–11, or one list per CSV."""

import itertools
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from openpyxl import load_workbook

from placewise.sources.canonical import FileRejected, Issue, Parsed
from placewise.sources.readers import csvfile, limits
from placewise.sources.readers.spec import LISTS, TableSpec
from placewise.sources.readers.tabular import check_header, match_score, parse_rows

_SHEET = re.compile(r"list\s*(\d{1,2})\b", re.IGNORECASE)


def recognise(header: list[str]) -> TableSpec | None:
    """The Annex A list whose columns this header carries, if any."""
    scored = [(match_score(spec, header), spec) for spec in LISTS.values()]
    score, spec = max(scored, key=lambda pair: pair[0])
    return spec if score >= 0.5 else None


def read_csv(path: Path, source: str, spec: TableSpec) -> Iterator[Parsed]:
    header = csvfile.read_header(path)
    index, issues = check_header(spec, header)
    if issues:
        yield Parsed(1, issues=issues, is_row=False)
    yield from parse_rows(
        spec,
        _source(spec, source),
        index,
        csvfile.rows(path),
        len(header),
        strict_width=True,
        origin="annex_a",
    )


def read_xlsx(path: Path, source: str) -> Iterator[Parsed]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileRejected(f"not a readable Excel workbook: {error}") from None
    bounds = limits.current()
    tally = itertools.count(1)  # rows after the headers, across sheets: the limit is the file's
    try:
        found = False
        for sheet in workbook.worksheets:
            spec = _sheet_spec(sheet.title)
            rows = sheet.iter_rows(values_only=True)
            header = list(next(rows, ()) or ())
            _within(bounds, sheet.title, 1, header, header)
            if spec is None:
                spec = recognise([str(h) for h in header if h is not None])
            if spec is None:
                yield Parsed(
                    1,
                    issues=[
                        Issue(
                            f"sheet '{sheet.title}' is not an Annex A list; ignored",
                            None,
                            None,
                            "warning",
                            "sheet",
                        )
                    ],
                    is_row=False,
                )
                continue
            found = True
            try:
                index, issues = check_header(spec, header)
            except FileRejected as error:
                raise FileRejected(f"sheet '{sheet.title}': {error.reason}", row=1) from None
            for issue in issues:
                issue.reason = f"sheet '{sheet.title}': {issue.reason}"
            if issues:
                yield Parsed(1, issues=issues, is_row=False)
            numbered = _bounded(rows, header, sheet.title, bounds, tally)
            for parsed in parse_rows(
                spec,
                _source(spec, source),
                index,
                numbered,
                len(header),
                strict_width=False,
                origin="annex_a",
            ):
                for issue in parsed.issues:
                    issue.reason = f"{spec.name}: {issue.reason}"
                yield parsed
        if not found:
            raise FileRejected(
                "the workbook has no sheet that is an Annex A list (List 1 … List 11)"
            )
    finally:
        workbook.close()


def _bounded(
    rows: Iterator[tuple[object, ...]],
    header: list[object],
    title: str,
    bounds: limits.Limits,
    tally: Iterator[int],
) -> Iterator[tuple[int, list[object]]]:
    for number, values in enumerate(rows, start=2):
        cells = list(values)
        _within(bounds, title, number, cells, header, next(tally))
        yield number, cells


def _within(
    bounds: limits.Limits,
    title: str,
    row: int,
    cells: list[object],
    header: list[object],
    counted: int = 0,
) -> None:
    try:
        bounds.check_count(counted, row)
        bounds.check_sheet_row(row, cells, header)
    except FileRejected as error:
        raise FileRejected(f"sheet '{title}': {error.reason}", error.row, error.column) from None


def _sheet_spec(title: str) -> TableSpec | None:
    match = _SHEET.search(title)
    return LISTS.get(int(match.group(1))) if match else None


def _source(spec: TableSpec, council_source: str) -> str:
    # Adopters are not children: their identifiers are a separate source from the child IDs.
    return council_source if spec.person_is_child else f"{council_source}_adopters"
