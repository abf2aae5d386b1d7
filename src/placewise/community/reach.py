"""Reach: each group's share of the people who took part against its share of the people the
engagement means to hear, and which groups were under-represented, by how much.

THE RULE, in one place: a group is under-represented when its share of participants is below
four fifths of its share of the population (UNDER_REPRESENTED_RATIO). The gap is the population
share less the participant share, in percentage points. Shares are among the people whose group is
known: participants whose group was not recorded are counted as "not known" and left out of both
sides, as a population table has no "not known" row. A group in the population with no
participant at all has a share of 0 and is under-represented.
"""

from collections.abc import Mapping
from dataclasses import dataclass

UNDER_REPRESENTED_RATIO = 0.8
RULE = (
    "A group is under-represented when its share of the people who took part is less than four "
    "fifths of its share of the people we meant to hear."
)


@dataclass(frozen=True)
class GroupReach:
    group: str
    participants: int
    population: int
    participant_share: float  # 0..1, among participants whose group is known
    population_share: float  # 0..1
    under_represented: bool

    @property
    def gap_points(self) -> float:
        """Population share less participant share, in percentage points."""
        return round(100 * (self.population_share - self.participant_share), 1)


def is_under_represented(participant_share: float, population_share: float) -> bool:
    """The one rule (see the module's docstring)."""
    # A hair of tolerance: 0.8 × 0.10 is 0.08000000000000002 in floating point, and a group at
    # exactly four fifths of its share is reached.
    return participant_share < UNDER_REPRESENTED_RATIO * population_share - 1e-12


def compare(participants: Mapping[str, int], population: Mapping[str, int]) -> list[GroupReach]:
    """Each group of one dimension (ethnic group, sex, ...), in the population's order, then any
    group that took part but is not in the population table."""
    took_part = sum(participants.values())
    everyone = sum(population.values())
    groups = list(population) + [g for g in participants if g not in population]
    rows = []
    for group in groups:
        n, p = participants.get(group, 0), population.get(group, 0)
        share = n / took_part if took_part else 0.0
        pop_share = p / everyone if everyone else 0.0
        rows.append(
            GroupReach(
                group=group,
                participants=n,
                population=p,
                participant_share=share,
                population_share=pop_share,
                under_represented=bool(everyone) and is_under_represented(share, pop_share),
            )
        )
    return rows
