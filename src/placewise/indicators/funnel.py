"""Funnel plots: teams' proportions against their volume, with the place's proportion as the
centre and limits that narrow as volume grows (Spiegelhalter, "Funnel plots for comparing
institutional performance", Statistics in Medicine 2005). A team outside the outer limits
differs from the place by more than chance, whatever its rank in a league table.

Limits use the normal approximation to the binomial, as Public Health England's funnel plot
tools do for proportions: p ± z·√(p(1−p)/n), held within 0 and 1."""

import math
from dataclasses import dataclass

# Two-sided 95% and 99.8% limits: the usual warning and control limits of a funnel plot.
INNER_Z = 1.96
OUTER_Z = 3.09


@dataclass(frozen=True)
class Team:
    """One team's counts over the funnel's period."""

    name: str
    numerator: float
    denominator: float

    @property
    def proportion(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


def centre(teams: list[Team]) -> float:
    """The place's proportion: every team's numerator over every team's denominator."""
    total = sum(t.denominator for t in teams)
    return sum(t.numerator for t in teams) / total if total else 0.0


def limit(centre: float, volume: float, z: float) -> float:
    """The funnel's limit at this volume: z standard errors from the centre, within 0 and 1."""
    return min(1.0, max(0.0, centre + z * math.sqrt(centre * (1 - centre) / volume)))


def outlier(team: Team, centre: float) -> str:
    """ "above" or "below" when the team lies outside the 99.8% limits at its volume, else ""."""
    share = team.proportion
    if share is None:
        return ""
    if share > limit(centre, team.denominator, OUTER_Z):
        return "above"
    if share < limit(centre, team.denominator, -OUTER_Z):
        return "below"
    return ""
