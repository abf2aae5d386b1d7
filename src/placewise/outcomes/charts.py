"""An indicator's SPC chart drawn from its signal: the one place the page, the review follow-up
and the PDF pack get their chart geometry from."""

from datetime import date

from placewise.indicators.signals import Signal
from placewise.web.charts import SpcChart, spc_chart


def states(signal: Signal) -> list[str]:
    """Each point: '' (common cause), 'improvement' or 'concern', by the indicator's polarity."""
    good = +1 if signal.indicator.polarity == "up" else -1
    return [
        ("" if not p.rules else "improvement" if p.direction == good else "concern")
        for p in signal.chart.points
    ]


def signal_chart(
    signal: Signal,
    *,
    shown: list[str],
    title: str,
    description: str,
    keep: list[bool] | None = None,
    marker: date | None = None,
    marker_label: str = "",
    width: int = 720,
    height: int = 300,
) -> SpcChart:
    """`shown`: each point's value as text; `keep`: which points may be drawn (withheld ones are
    left out); `marker`: a month to draw a line at, e.g. where an action began."""
    kept = [
        (p, state, text)
        for p, state, text, ok in zip(
            signal.chart.points,
            states(signal),
            shown,
            keep or [True] * len(shown),
            strict=True,
        )
        if ok
    ]
    at = next((i for i, (p, _, _) in enumerate(kept) if marker and p.period >= marker), None)
    return spc_chart(
        [f"{p.period:%b %y}" for p, _, _ in kept],
        [p.value for p, _, _ in kept],
        [p.mean for p, _, _ in kept],
        [p.lower for p, _, _ in kept],
        [p.upper for p, _, _ in kept],
        [state for _, state, _ in kept],
        shown=[text for _, _, text in kept],
        title=title,
        description=description,
        target=signal.indicator.target,
        marker=at,
        marker_label=marker_label,
        width=width,
        height=height,
    )
