"""Every indicator per month, for the place and each team: the rows the pages show, computed once
(`table()`), written as CSV or XLSX by `placewise indicators --out`."""

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings

from placewise.indicators import compute, library
from placewise.sharing import audit
from placewise.sharing import spreadsheet_cells as cells
from placewise.store import stores
from placewise.store.queries import fetch

PLACE = "Place"
COLUMNS = ("indicator", "title", "period", "team", "numerator", "denominator", "value")


@dataclass(frozen=True)
class Row:
    indicator: str
    title: str
    period: date
    team: str
    numerator: float
    denominator: float
    value: float | None


def table(indicators: dict[str, library.Indicator] | None = None) -> list[Row]:
    population = compute.read_population(settings.PLACEWISE_POPULATION_FILE)
    chosen = indicators if indicators is not None else library.load()
    kinds = sorted({k for i in chosen.values() for k in i.kinds})
    rows = []
    # One connection: the events are deduplicated once for every indicator.
    with stores.analytic(read_only=True) as store, compute.shared_events(store, kinds):
        for indicator in chosen.values():
            query = compute.series(indicator, population)
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


def write(out: Path, *, by: str) -> int:
    rows = table()
    if not rows:
        raise ValueError("no indicator has any data yet: load the council's returns first")
    if out.suffix.lower() == ".xlsx":
        _xlsx(out, rows)
    elif out.suffix.lower() == ".csv":
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
                        ]
                    )
                )
    else:
        raise ValueError(f"write to a .csv or .xlsx file, not '{out.suffix or out.name}'")
    audit.record(actor=by, action="indicators.export", target=str(out), detail={"rows": len(rows)})
    return len(rows)


def _n(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.6g}"


def _xlsx(out: Path, rows: list[Row]) -> None:
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
        sheet.autofilter(0, 0, len(rows), len(COLUMNS) - 1)
        sheet.freeze_panes(1, 0)
    finally:
        book.close()


def _datetime(day: date):  # type: ignore[no-untyped-def]
    from datetime import datetime

    return datetime(day.year, day.month, day.day)
