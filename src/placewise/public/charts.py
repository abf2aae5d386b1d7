"""A published figure's SPC chart, drawn from its frozen table only (never recomputed): what
was signed off is what is drawn. Withheld months keep their place with no dot; the mean and
limits are drawn only where the table holds them."""

from datetime import date

from placewise.public.models import PublishedFigure
from placewise.web.charts import SpcChart, spc_chart


def chart_of(figure: PublishedFigure) -> SpcChart:
    table = figure.table
    months = table["months"]
    limits = not table["limits_withheld"]
    return spc_chart(
        [f"{date.fromisoformat(m['period']):%b %y}" for m in months],
        [m["value"] for m in months],
        [float(m["mean"] or 0.0) for m in months] if limits else None,
        [float(m["lower"] or 0.0) for m in months] if limits else None,
        [float(m["upper"] or 0.0) for m in months] if limits else None,
        [m["state"] for m in months],
        shown=[m["shown"] for m in months],
        title=f"{figure.title}, {figure.place_or_area}",
        description=(
            f"{figure.title} each month for {figure.place_or_area}. The table below gives "
            "every month's figure."
        ),
        target=table["target"],
        percent=table["percent"],
    )
