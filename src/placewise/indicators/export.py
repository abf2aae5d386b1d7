"""Every indicator per month, for the place and each team: the rows the pages show, computed once
(`table()`), written as CSV or XLSX by `placewise indicators --out`.

A file leaves the command line for somewhere, so by default it is written as partners may see it:
the place's rows only, each month's counts through the publication path (sharing/publication.py),
withheld cells left empty with the reason. `--audience own` writes every team's exact counts, for
use inside the organisation that provided the data; the audit log records which was written."""

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings

from placewise.indicators import compute, library
from placewise.sharing import publication
from placewise.sharing import spreadsheet_cells as cells
from placewise.sharing.publication import PLACE
from placewise.store import stores
from placewise.store.queries import fetch

COLUMNS = ("indicator", "title", "period", "team", "numerator", "denominator", "value", "withheld")
AUDIENCES = ("partners", "own")


@dataclass(frozen=True)
class Row:
    indicator: str
    title: str
    period: date
    team: str
    numerator: float
    denominator: float
    value: float | None


@dataclass(frozen=True)
class Written:
    """One row of the file: None where the publication withheld a figure, with why."""

    indicator: str
    title: str
    period: date
    team: str
    numerator: float | None
    denominator: float | None
    value: float | None
    withheld: str


def table(indicators: dict[str, library.Indicator] | None = None) -> list[Row]:
    population = compute.read_population(settings.PLACEWISE_POPULATION_FILE)
    chosen = indicators if indicators is not None else library.load()
    kinds = sorted({k for i in chosen.values() for k in i.kinds})
    rows = []
    # One connection: the events are deduplicated once for every indicator.
    with stores.analytic(read_only=True) as store, compute.shared_events(store, kinds) as table:
        for indicator in chosen.values():
            query = compute.series(indicator, population, table=table)
            if query is not None:
                rows.extend(_rows(indicator, fetch(store, query)))
    return rows


def _rows(indicator: library.Indicator, found: list[dict[str, Any]]) -> list[Row]:
    return [
        Row(
            indicator.key,
            indicator.title,
            r["period"],
            r["team"] or PLACE,
            float(r["numerator"]),
            float(r["denominator"]),
            float(r["numerator"]) / float(r["denominator"]) if r["denominator"] else None,
        )
        for r in found
    ]


def write(out: Path, *, audience: str = "partners", only: set[str] | None = None) -> int:
    """Write every indicator's rows for this audience to a .csv or .xlsx file (`only`: just
    these indicators, the ones a person exporting from the app may see).

    Writing a file of figures is a disclosure the audit log must show; the indicators package
    records nothing itself (it stays pure), so call this through `outcomes.actions.export`."""
    if audience not in AUDIENCES:
        raise ValueError(f"the audience is one of {', '.join(AUDIENCES)}, not '{audience}'")
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise ValueError(f"write to a .csv or .xlsx file, not '{out.suffix or out.name}'")
    chosen = library.load()
    if only is not None:
        chosen = {key: indicator for key, indicator in chosen.items() if key in only}
    found = table(chosen)
    if not found:
        raise ValueError("no indicator has any data yet: load the council's returns first")
    rows = _for_partners(chosen, found) if audience == "partners" else _exact(found)
    if out.suffix.lower() == ".xlsx":
        _xlsx(out, rows)
    else:
        with out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(COLUMNS)
            for r in rows:
                # Team names come from loaded files: never a formula (spreadsheet_cells.py).
                writer.writerow(
                    cells.row(
                        [
                            r.indicator,
                            r.title,
                            r.period.isoformat(),
                            r.team,
                            _n(r.numerator),
                            _n(r.denominator),
                            "" if r.value is None else f"{r.value:.6g}",
                            r.withheld,
                        ]
                    )
                )
    return len(rows)


def _exact(rows: list[Row]) -> list[Written]:
    return [
        Written(r.indicator, r.title, r.period, r.team, r.numerator, r.denominator, r.value, "")
        for r in rows
    ]


def _for_partners(chosen: dict[str, library.Indicator], rows: list[Row]) -> list[Written]:
    """The place's rows as a partner may see them; teams' figures are not shared beyond the
    organisation (as on the pages)."""
    written = []
    for r in rows:
        if r.team != PLACE:
            continue
        month = publication.month(chosen[r.indicator], r.numerator, r.denominator)
        written.append(
            Written(
                r.indicator,
                r.title,
                r.period,
                r.team,
                month.numerator,
                month.denominator,
                month.value,
                month.withheld,
            )
        )
    return written


def _n(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else f"{value:.6g}"


def _xlsx(out: Path, rows: list[Written]) -> None:
    import xlsxwriter

    # Team names come from loaded files: text, never a formula (spreadsheet_cells.py).
    book = xlsxwriter.Workbook(str(out), {"strings_to_formulas": False})
    try:
        sheet = book.add_worksheet("Indicators")
        bold = book.add_format({"bold": True})
        month = book.add_format({"num_format": "mmm yyyy"})
        share = book.add_format({"num_format": "0.000"})
        sheet.write_row(0, 0, COLUMNS, bold)
        for i, r in enumerate(rows, start=1):
            sheet.write_row(i, 0, cells.row([r.indicator, r.title]))
            sheet.write_datetime(i, 2, _datetime(r.period), month)
            sheet.write_row(i, 3, cells.row([r.team, r.numerator, r.denominator]))
            if r.value is not None:
                sheet.write_number(i, 6, r.value, share)
            if r.withheld:
                sheet.write_string(i, 7, r.withheld)
        sheet.autofilter(0, 0, len(rows), len(COLUMNS) - 1)
        sheet.freeze_panes(1, 0)
    finally:
        book.close()


def _datetime(day: date):  # type: ignore[no-untyped-def]
    from datetime import datetime

    return datetime(day.year, day.month, day.day)
