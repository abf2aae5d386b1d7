"""An indicator's series as a CSV file: the months the page shows, exactly as the viewer may see
them (the published series), so a download never holds more than the page."""

import csv
import io

from django.utils.text import slugify

from placewise.indicators.export import PLACE
from placewise.outcomes.charts import possible
from placewise.sharing import spreadsheet_cells as cells
from placewise.sharing.publication import PublishedSeries

COLUMNS = (
    "month",
    "numerator",
    "denominator",
    "value",
    "mean",
    "lower_limit",
    "upper_limit",
    "special_cause",
    "withheld",
)


def series_csv(published: PublishedSeries) -> str:
    """One row a month: withheld figures empty with the reason; limits as far as the measure can
    go (as on the page); text cells safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    indicator = published.indicator
    for month in published.months:
        writer.writerow(
            cells.row(
                [
                    f"{month.period:%Y-%m}",
                    _number(month.numerator),
                    _number(month.denominator),
                    _number(month.value),
                    _number(month.mean),
                    _number(possible(indicator, month.lower)),
                    _number(possible(indicator, month.upper)),
                    " ".join(month.rules),
                    month.withheld,
                ]
            )
        )
    return out.getvalue()


def file_name(key: str, team: str) -> str:
    return f"{key}-{'place' if team == PLACE else slugify(team)}.csv"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"
