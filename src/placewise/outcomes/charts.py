"""An indicator's SPC chart drawn from its published series: the one place the page, the review
follow-up and the PDF pack get their chart geometry from. Only what the viewer may see is drawn:
withheld months are left out, and so are the mean and limits when they are withheld."""

from datetime import date

from placewise.indicators.library import Indicator
from placewise.sharing.publication import PublishedSeries
from placewise.web.charts import SpcChart, spc_chart


def signal_chart(
    published: PublishedSeries,
    *,
    title: str,
    description: str,
    shown: list[str] | None = None,
    marker: date | None = None,
    marker_label: str = "",
    width: int = 720,
    height: int = 300,
) -> SpcChart:
    """`shown`: each month's value as text, for the points' tooltips; `marker`: a month to draw a
    line at, e.g. where an action began. A withheld month keeps its place, with no dot."""
    texts = shown if shown is not None else ["" for _ in published.months]
    months = published.months
    at = next((i for i, m in enumerate(months) if marker and m.period >= marker), None)
    limits = not published.limits_withheld
    return spc_chart(
        [f"{m.period:%b %y}" for m in months],
        [m.value for m in months],
        [float(m.mean or 0.0) for m in months] if limits else None,
        [possible(published.indicator, m.lower) or 0.0 for m in months] if limits else None,
        [possible(published.indicator, m.upper) or 0.0 for m in months] if limits else None,
        [m.state for m in months],
        shown=texts,
        title=title,
        description=description,
        target=published.indicator.target,
        marker=at,
        marker_label=marker_label,
        width=width,
        height=height,
        percent=published.indicator.is_proportion,
    )


def possible(indicator: Indicator, limit: float | None) -> float | None:
    """A process limit as far as the measure can go: no count, rate or mean below 0 and no
    proportion above 100% (an XmR limit of -4 referrals is arithmetic, not a possibility)."""
    if limit is None:
        return None
    limit = max(limit, 0.0)
    return min(limit, 1.0) if indicator.is_proportion else limit
