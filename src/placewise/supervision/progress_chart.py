"""A criterion's grades across successive peer reviews as a dot chart: one column a review, one
row a grade of the scale (best at the top), a dot where peers gave that grade, sized and labelled
by how many did. Server-drawn SVG, beside a table of the same grades (web/charts.py's rule).

No line joins the reviews and nothing is averaged: each peer's grade is feedback on one piece of
practice, and the chart shows what was said, not a score."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    count: int
    label_x: float
    label: str  # "12 March 2026: Good, 2 peers"


@dataclass(frozen=True)
class Row:
    grade: str
    y: float


@dataclass(frozen=True)
class Column:
    x: float
    label: str  # "Mar 2026"


@dataclass(frozen=True)
class DotChart:
    title: str
    description: str
    width: int
    height: int
    plot_left: int
    plot_bottom: int
    rows: tuple[Row, ...]
    columns: tuple[Column, ...]
    dots: tuple[Dot, ...]


LEFT, TOP, ROW, COLUMN, BOTTOM = 220, 12, 28, 96, 30
# Room for at least this many reviews, so a chart of one or two is not drawn huge.
LEAST_COLUMNS = 4


def dot_chart(
    scale: list[str],
    reviews: list[tuple[date, list[tuple[str, int]]]],
    *,
    title: str,
    description: str,
) -> DotChart:
    """`scale` best first; `reviews` oldest first, each with the grades its peers gave and how
    many gave each."""
    rows = tuple(Row(grade, TOP + ROW * i + ROW / 2) for i, grade in enumerate(scale))
    at = {row.grade: row.y for row in rows}
    width = LEFT + COLUMN * max(len(reviews), LEAST_COLUMNS) + 16
    height = TOP + ROW * len(scale) + BOTTOM
    columns, dots = [], []
    for i, (held_on, counts) in enumerate(reviews):
        x = LEFT + COLUMN * i + COLUMN / 2
        columns.append(Column(x, f"{held_on:%b %Y}"))
        for grade, count in counts:
            if grade not in at or count <= 0:
                continue
            peers = f"{count} peer{'' if count == 1 else 's'}"
            dots.append(
                Dot(
                    x,
                    at[grade],
                    min(5.0 + 3.0 * count, ROW / 2 - 2),
                    count,
                    x + min(5.0 + 3.0 * count, ROW / 2 - 2) + 4,
                    f"{held_on:%-d %B %Y}: {grade}, {peers}",
                )
            )
    return DotChart(
        title=title,
        description=description,
        width=width,
        height=height,
        plot_left=LEFT,
        plot_bottom=TOP + ROW * len(scale),
        rows=rows,
        columns=tuple(columns),
        dots=tuple(dots),
    )
