"""`placewise spc SERIES.csv`: read an analyst's own series and write the SPC table for it."""

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from placewise.indicators import spc
from placewise.sharing import spreadsheet_cells
from placewise.sources.canonical import FileRejected


@dataclass(frozen=True)
class Series:
    labels: list[str]  # periods as written in the file
    periods: list[date]
    values: list[float]
    numerators: list[float] | None
    denominators: list[float] | None


def parse_period(text: str, row: int | None = None) -> date:
    raw = text.strip()
    for candidate in (raw, f"{raw}-01"):
        try:
            return date.fromisoformat(candidate)
        except ValueError:
            continue
    raise FileRejected(f"'{raw}' is not a period like 2025-04 or 2025-04-01", row, "period")


def _number(text: str, row: int, column: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise FileRejected(f"'{text.strip()}' is not a number", row, column) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise FileRejected(f"'{text.strip()}' is not a finite number", row, column)
    return value


def read(path: Path) -> Series:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        raise FileRejected("the file is empty: expected a header row")
    header = [h.strip().lower() for h in rows[0]]
    if header not in (["period", "value"], ["period", "numerator", "denominator"]):
        raise FileRejected(
            "the header must be 'period,value' or 'period,numerator,denominator' "
            f"(found '{','.join(rows[0])}')",
            1,
        )
    labels: list[str] = []
    periods: list[date] = []
    values: list[float] = []
    nums: list[float] = []
    dens: list[float] = []
    for row, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise FileRejected(f"expected {len(header)} fields, found {len(cells)}", row)
        period = parse_period(cells[0], row)
        if periods and period <= periods[-1]:
            raise FileRejected("periods must be in order, each after the one before", row, "period")
        labels.append(cells[0].strip())
        periods.append(period)
        if len(header) == 2:
            values.append(_number(cells[1], row, "value"))
        else:
            n, d = _number(cells[1], row, "numerator"), _number(cells[2], row, "denominator")
            if d <= 0:
                raise FileRejected("the denominator must be more than 0", row, "denominator")
            if n < 0 or n > d:
                raise FileRejected(
                    "the numerator must be between 0 and the denominator", row, "numerator"
                )
            nums.append(n)
            dens.append(d)
            values.append(n / d)
    if len(periods) < 2:
        raise FileRejected("a chart needs at least 2 periods")
    proportion = len(header) == 3
    return Series(
        labels, periods, values, nums if proportion else None, dens if proportion else None
    )


def chart(series: Series, steps: list[date], baseline: int | None = None) -> spc.Chart:
    if series.numerators is not None and series.denominators is not None:
        return spc.p_chart(
            series.periods, series.numerators, series.denominators, steps=steps, baseline=baseline
        )
    return spc.xmr(series.periods, series.values, steps=steps, baseline=baseline)


def as_csv(series: Series, result: spc.Chart) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["period", "value", "mean", "lower", "upper", "rules"])
    for label, p in zip(series.labels, result.points, strict=True):
        writer.writerow(
            spreadsheet_cells.row(
                [
                    label,
                    _fmt(p.value),
                    _fmt(p.mean),
                    _fmt(p.lower),
                    _fmt(p.upper),
                    ";".join(p.rules),
                ]
            )
        )
    return out.getvalue()


def _fmt(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".") if value == value else ""
