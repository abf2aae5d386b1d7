"""Chart geometry for server-drawn SVG: no script, so it renders under the CSP and prints. Every
chart is drawn beside a table of the same numbers, which is what screen readers are pointed to."""

from dataclasses import dataclass

from placewise.indicators import funnel


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
    label: str = ""  # as the axis shows it, where the chart formats its own


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


@dataclass(frozen=True)
class Band:
    label: str
    value: int | None  # None: suppressed by disclosure control
    path: str  # SVG path of the band from the source node to this step
    x: float
    y: float
    height: float


@dataclass(frozen=True)
class FlowChart:
    title: str
    description: str
    width: int
    height: int
    source_label: str
    source_value: int | None
    source_height: float
    bands: list[Band]


def flow_chart(
    total: int | None,
    steps: list[tuple[str, int | None]],
    *,
    title: str,
    description: str,
    source_label: str,
    width: int = 640,
) -> FlowChart:
    """A one-level flow: a source node on the left and a band to each step on the right, its
    thickness proportional to the count. Suppressed counts get a hairline band and no number."""
    row_height, gap, top = 34, 8, 8
    height = top * 2 + len(steps) * (row_height + gap)
    node_x, node_w, step_x = 8, 16, width * 0.55
    scale = (height - 2 * top) / max(total or 1, 1)
    bands = []
    # Every band leaves from the top of the source node: the steps overlap, since a child can
    # take several of them.
    left_y = float(top)
    for i, (label, value) in enumerate(steps):
        thickness = max((value or 0) * scale, 1.0) if total else 1.0
        y = top + i * (row_height + gap) + (row_height - min(thickness, row_height)) / 2
        right_h = min(thickness, row_height)
        x0, x1 = node_x + node_w, step_x
        mid = (x0 + x1) / 2
        path = (
            f"M{x0:.1f},{left_y:.1f} C{mid:.1f},{left_y:.1f} {mid:.1f},{y:.1f} {x1:.1f},{y:.1f} "
            f"L{x1:.1f},{y + right_h:.1f} "
            f"C{mid:.1f},{y + right_h:.1f} {mid:.1f},{left_y + thickness:.1f} "
            f"{x0:.1f},{left_y + thickness:.1f} Z"
        )
        bands.append(Band(label, value, path, x1 + 6, y + right_h / 2, right_h))
    return FlowChart(
        title=title,
        description=description,
        width=width,
        height=height,
        source_label=source_label,
        source_value=total,
        source_height=height - 2 * top,
        bands=bands,
    )


@dataclass(frozen=True)
class SpcMark:
    x: float
    y: float
    label: str
    value: str
    state: str  # "" (common cause), "concern" or "improvement"

    @property
    def shape(self) -> str:
        """Points of the mark's outline: a diamond for improvement, a square for concern (so a
        signal is told by shape as well as colour); "" for a common-cause month (a circle)."""
        x, y = self.x, self.y
        if self.state == "improvement":
            return (
                f"{x:.1f},{y - 6:.1f} {x + 6:.1f},{y:.1f} {x:.1f},{y + 6:.1f} {x - 6:.1f},{y:.1f}"
            )
        if self.state == "concern":
            return (
                f"{x - 5:.1f},{y - 5:.1f} {x + 5:.1f},{y - 5:.1f} "
                f"{x + 5:.1f},{y + 5:.1f} {x - 5:.1f},{y + 5:.1f}"
            )
        return ""


@dataclass(frozen=True)
class SpcChart:
    title: str
    description: str
    width: int
    height: int
    marks: list[SpcMark]
    line: list[str]  # polyline points of the values, one per run of months not withheld
    months: list[tuple[float, str]]  # x and label of every label_every-th period, for the axis
    mean: str  # polyline points of the mean (stepped at re-basings)
    upper: str
    lower: str
    target_y: float | None
    ticks: list[Tick]
    plot_left: int
    plot_bottom: int
    label_every: int
    marker_x: float | None = None  # a vertical line, e.g. where an action began
    marker_label: str = ""


def spc_chart(
    periods: list[str],
    values: list[float | None],
    means: list[float] | None,
    lowers: list[float] | None,
    uppers: list[float] | None,
    states: list[str],
    *,
    title: str,
    description: str,
    shown: list[str],
    target: float | None = None,
    marker: int | None = None,
    marker_label: str = "",
    width: int = 720,
    height: int = 300,
    percent: bool = False,
) -> SpcChart:
    """An SPC chart: values as a line with a dot per period (coloured when special cause), the
    mean and the process limits (None: not drawn, e.g. withheld from this viewer). A period whose
    value is None keeps its place on the axis with no dot, and the line breaks there: joining
    across it would draw a month nobody may see."""
    left, right, top, bottom = 56, 12, 12, height - 44
    everything = [
        *(v for v in values if v is not None),
        *(lowers or []),
        *(uppers or []),
        *([target] if target is not None else []),
    ]
    low, high = min(everything, default=0.0), max(everything, default=1.0)
    if high - low < 1e-9:
        high = low + 1
    pad = (high - low) * 0.05
    # Room around the data, but never past what the measure can be: an axis labelled -1
    # referrals or 105% reads as a value someone could have (issue 15).
    low = max(low - pad, 0.0) if low >= 0 else low - pad
    high = min(high + pad, 1.0) if percent and high <= 1 else high + pad
    step = (width - left - right) / max(len(values) - 1, 1)

    def y(v: float) -> float:
        return bottom - (bottom - top) * (v - low) / (high - low)

    xs = [left + i * step for i in range(len(values))]

    def line(series: list[float] | None) -> str:
        if series is None:
            return ""
        return " ".join(f"{x:.1f},{y(v):.1f}" for x, v in zip(xs, series, strict=True))

    marks = [
        SpcMark(x, y(v), p, s_text, state)
        for x, v, p, s_text, state in zip(xs, values, periods, shown, states, strict=True)
        if v is not None
    ]
    every = max(1, len(values) // 8)
    runs: list[list[str]] = [[]]
    for x, v in zip(xs, values, strict=True):
        if v is None:
            runs.append([])
        else:
            runs[-1].append(f"{x:.1f},{y(v):.1f}")

    def label(v: float) -> str:
        if percent:  # proportions are read as percentages, as the tables show them
            return f"{v:.0%}"
        return f"{v:,.0f}" if high - low >= 10 else f"{v:,.2f}"

    ticks = [Tick(v, y(v), label(v)) for v in (low + (high - low) * k / 4 for k in range(5))]
    return SpcChart(
        title=title,
        description=description,
        width=width,
        height=height,
        marks=marks,
        line=[" ".join(run) for run in runs if run],
        months=[(x, p) for i, (x, p) in enumerate(zip(xs, periods, strict=True)) if i % every == 0],
        mean=line(means),
        upper=line(uppers),
        lower=line(lowers),
        target_y=y(target) if target is not None else None,
        ticks=ticks,
        plot_left=left,
        plot_bottom=bottom,
        label_every=every,
        marker_x=xs[marker] if marker is not None and 0 <= marker < len(xs) else None,
        marker_label=marker_label,
    )


@dataclass(frozen=True)
class FunnelDot:
    x: float
    y: float
    label: str
    value: str
    state: str  # "", "above" or "below" the 99.8% limits


@dataclass(frozen=True)
class FunnelChart:
    title: str
    description: str
    width: int
    height: int
    dots: list[FunnelDot]
    centre_y: float
    inner_upper: str
    inner_lower: str
    outer_upper: str
    outer_lower: str
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    plot_left: int
    plot_bottom: int


def funnel_chart(
    teams: list[funnel.Team],
    *,
    title: str,
    description: str,
    width: int = 640,
    height: int = 320,
) -> FunnelChart:
    """Teams' proportions against their volume, with the place's proportion and its 95% and
    99.8% limits (indicators/funnel.py decides which teams lie outside them)."""
    left, right, top, bottom = 56, 90, 12, height - 44
    p = funnel.centre(teams)
    max_n = max((t.denominator for t in teams), default=1) * 1.1
    ns = [max_n * i / 60 for i in range(1, 61)]
    props = [share for t in teams if (share := t.proportion) is not None]
    low = min([*props, funnel.limit(p, ns[2], -funnel.OUTER_Z)], default=0.0)
    high = max([*props, funnel.limit(p, ns[2], funnel.OUTER_Z)], default=1.0)
    if high - low < 1e-9:
        high = low + 0.1

    def x(n: float) -> float:
        return left + (width - left - right) * n / max_n

    def y(v: float) -> float:
        return bottom - (bottom - top) * (v - low) / (high - low)

    def curve(z: float) -> str:
        return " ".join(f"{x(n):.1f},{y(funnel.limit(p, n, z)):.1f}" for n in ns[2:])

    dots = [
        FunnelDot(
            x(t.denominator),
            y(share),
            t.name,
            f"{share:.0%} of {t.denominator:g}",
            funnel.outlier(t, p),
        )
        for t in teams
        if (share := t.proportion) is not None
    ]
    return FunnelChart(
        title=title,
        description=description,
        width=width,
        height=height,
        dots=dots,
        centre_y=y(p),
        inner_upper=curve(funnel.INNER_Z),
        inner_lower=curve(-funnel.INNER_Z),
        outer_upper=curve(funnel.OUTER_Z),
        outer_lower=curve(-funnel.OUTER_Z),
        x_ticks=[Tick(max_n * k / 4, x(max_n * k / 4)) for k in range(5)],
        y_ticks=[Tick(low + (high - low) * k / 4, y(low + (high - low) * k / 4)) for k in range(5)],
        plot_left=left,
        plot_bottom=bottom,
    )
