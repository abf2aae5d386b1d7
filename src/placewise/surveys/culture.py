"""A culture scan's result: where a team sits on Schneider's two axes, its dominant culture, its
spread, the plot (SVG geometry, drawn beside a table of the same numbers), and guidance on which
project approach fits (our own words; sources in surveys/questionnaires.py).

Each answer places one team member: across the questions, x runs from personal (-1: every choice
collaboration or cultivation) to impersonal (+1: every choice control or competence), and y from
possibility (-1) to actuality (+1). The team's position is the mean; its spread, the standard
deviation on each axis (drawn as an ellipse round the mean). No one's own point is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import mean, pstdev

from placewise.surveys.models import CULTURES, Scan
from placewise.surveys.visibility import scan_shown

IMPERSONAL = {"control", "competence"}
ACTUALITY = {"control", "collaboration"}
LABELS = dict(CULTURES)


@dataclass(frozen=True)
class Result:
    scan: Scan
    answers: int
    shown: bool
    shares: dict[str, float]  # culture: share of all choices (0..1)
    dominant: tuple[str, ...]  # the culture(s) chosen most
    x: float  # -1 personal .. +1 impersonal
    y: float  # -1 possibility .. +1 actuality
    spread_x: float
    spread_y: float

    @property
    def dominant_label(self) -> str:
        return " and ".join(LABELS[c] for c in self.dominant)


def position(choices: dict[str, str]) -> tuple[float, float]:
    """One answer's place on the two axes."""
    picked = [c for c in choices.values() if c in LABELS]
    if not picked:
        return 0.0, 0.0
    n = len(picked)
    x = (sum(c in IMPERSONAL for c in picked) - sum(c not in IMPERSONAL for c in picked)) / n
    y = (sum(c in ACTUALITY for c in picked) - sum(c not in ACTUALITY for c in picked)) / n
    return x, y


def result(scan: Scan) -> Result:
    """The scan's result; `shown` False (and nothing else filled) under the threshold."""
    answers = [a.choices for a in scan.answers.all()]
    if not scan_shown(len(answers)):
        return Result(scan, len(answers), False, {}, (), 0.0, 0.0, 0.0, 0.0)
    counts = {c: 0 for c, _ in CULTURES}
    for choices in answers:
        for culture in choices.values():
            if culture in counts:
                counts[culture] += 1
    total = sum(counts.values()) or 1
    top = max(counts.values())
    points = [position(c) for c in answers]
    return Result(
        scan=scan,
        answers=len(answers),
        shown=True,
        shares={c: counts[c] / total for c, _ in CULTURES},
        dominant=tuple(c for c, _ in CULTURES if counts[c] == top),
        x=mean(p[0] for p in points),
        y=mean(p[1] for p in points),
        spread_x=pstdev(p[0] for p in points),
        spread_y=pstdev(p[1] for p in points),
    )


# --- The plot ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    label: str
    cx: float
    cy: float
    rx: float
    ry: float
    latest: bool


@dataclass(frozen=True)
class Plot:
    title: str
    description: str
    size: int
    left: int
    top: int
    side: int
    marks: list[Mark]
    path: str  # the team's route over time, oldest first ("" for one scan)

    @property
    def middle(self) -> float:
        return self.left + self.side / 2

    @property
    def centre_y(self) -> float:
        return self.top + self.side / 2

    @property
    def right(self) -> int:
        return self.left + self.side

    @property
    def bottom(self) -> int:
        return self.top + self.side


def plot(results: list[Result], *, title: str, size: int = 360) -> Plot:
    """The culture map: personal on the left, impersonal on the right, actuality at the top,
    possibility below (as Schneider draws it); one mark per scan shown, the latest filled."""
    left, top = 28, 28
    side = size - 2 * left
    shown = [r for r in results if r.shown]

    def px(x: float) -> float:
        return left + side * (x + 1) / 2

    def py(y: float) -> float:
        return top + side * (1 - y) / 2

    marks = [
        Mark(
            label=f"{r.scan.started_on:%b %Y}",
            cx=round(px(r.x), 1),
            cy=round(py(r.y), 1),
            rx=round(max(side * r.spread_x / 2, 4), 1),
            ry=round(max(side * r.spread_y / 2, 4), 1),
            latest=i == len(shown) - 1,
        )
        for i, r in enumerate(shown)
    ]
    path = " ".join(f"{m.cx},{m.cy}" for m in marks) if len(marks) > 1 else ""
    if shown:
        last = shown[-1]
        description = (
            f"The latest scan ({marks[-1].label}) places the team in {last.dominant_label.lower()}"
            f" culture: {_side(last.x, 'impersonal', 'personal')} in how it decides and "
            f"{_side(last.y, 'actuality', 'possibility')} in what it attends to."
        )
    else:
        description = "No scan of this team has enough answers to show."
    return Plot(title, description, size, left, top, side, marks, path)


def _side(value: float, positive: str, negative: str) -> str:
    if abs(value) < 0.1:
        return "balanced between " + negative + " and " + positive
    strength = "strongly " if abs(value) >= 0.5 else "leaning "
    return strength + (positive if value > 0 else negative)


# --- Guidance --------------------------------------------------------------------------------------

UNCERTAINTY = [
    ("high", "High: the needs or the solution will change as we learn"),
    ("low", "Low: we know what is needed and how to deliver it"),
]

# Our own words, from seed 003 (agile where uncertainty is high and the culture allows it;
# plan-driven where it does not) and Schneider's descriptions of each culture.
GUIDANCE: dict[tuple[str, str], str] = {
    ("control", "low"): (
        "A plan-driven approach fits: stages, gateways and documented decisions are what this "
        "team trusts, and the work is known well enough to plan. Keep the gateways in proportion "
        "to the size of the project."
    ),
    ("control", "high"): (
        "The work needs short cycles of trying and learning, but this culture expects decisions "
        "to go up the line. Start with a small agile pilot inside the existing governance: agree "
        "in advance what the team may decide for itself, keep the checks on spending, and report "
        "what each cycle learned in the form leaders are used to."
    ),
    ("collaboration", "low"): (
        "Either approach can work. A light plan agreed by the whole team, with regular check-ins, "
        "suits a team that decides together."
    ),
    ("collaboration", "high"): (
        "An agile approach fits well: the team already decides together and is comfortable "
        "trying new ways. Work in short cycles with the people the service is for, and keep the "
        "few checks the council needs (budget, safeguarding) explicit."
    ),
    ("competence", "low"): (
        "A plan-driven approach with clear, demanding targets fits: the team is motivated by "
        "doing the known thing very well. Use its expertise to set the standard."
    ),
    ("competence", "high"): (
        "Iterate, but frame each cycle as a test with a measure of success: this culture "
        "values evidence and expertise, so agile work lands best as a series of experiments "
        "whose results are reviewed."
    ),
    ("cultivation", "low"): (
        "Keep the plan simple and give people room to shape how it is delivered; check "
        "progress against the shared purpose rather than detailed milestones."
    ),
    ("cultivation", "high"): (
        "An agile, purpose-led approach fits: the team is used to growing ideas and learning as "
        "it goes. Be clear about the purpose and the few fixed constraints, and let the team "
        "find the way."
    ),
}


def guidance(dominant: tuple[str, ...], uncertainty: str) -> list[tuple[str, str]]:
    """(culture, guidance) for each dominant culture at this level of uncertainty."""
    return [
        (LABELS[c], GUIDANCE[(c, uncertainty)]) for c in dominant if (c, uncertainty) in GUIDANCE
    ]
