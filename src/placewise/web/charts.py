"""Chart geometry for server-drawn SVG: no script, so it renders under the CSP and prints. Every
chart is drawn beside a table of the same numbers, which is what screen readers are pointed to."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Tick:
    value: float
    y: float


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    x_label: str
    y_label: str
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    plot_left: int
    plot_bottom: int
    # Every nth bar is labelled on the axis, so labels never overlap.
    label_every: int


def nice_ceiling(value: float) -> float:
    """The next 1, 2 or 5 × 10ⁿ at or above value, for an axis maximum."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** len(str(int(value))) / 10 if value >= 1 else 1.0
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def bar_chart(
    rows: list[tuple[str, float]],
    *,
    title: str,
    description: str,
    x_label: str,
    y_label: str,
    width: int = 640,
    height: int = 260,
) -> BarChart:
    left, right, top, bottom = 56, 12, 12, height - 44
    plot_w, plot_h = width - left - right, bottom - top
    top_value = nice_ceiling(max((v for _, v in rows), default=0))
    slot = plot_w / max(len(rows), 1)
    bars = [
        Bar(
            label=label,
            value=value,
            x=left + i * slot + slot * 0.1,
            y=bottom - plot_h * value / top_value,
            width=slot * 0.8,
            height=plot_h * value / top_value,
        )
        for i, (label, value) in enumerate(rows)
    ]
    ticks = [Tick(top_value * k / 4, bottom - plot_h * k / 4) for k in range(5)]
    return BarChart(
        title=title,
        description=description,
        x_label=x_label,
        y_label=y_label,
        width=width,
        height=height,
        bars=bars,
        ticks=ticks,
        plot_left=left,
        plot_bottom=bottom,
        label_every=max(1, len(rows) // 12),
    )
