"""The synthetic council's own records of its children, which each of its files is written from.

The files themselves are written by placewise.synth.annex_a, .ssda903, .cin_census and
.case_system; this module holds what they share.
"""

import random
from datetime import date

from placewise.synth.journeys import Journey
from placewise.synth.noise import Noise, observe
from placewise.synth.people import Identity


class CouncilRecords:
    """The council's view of each child: its own ID and the identity its case system holds."""

    def __init__(self, rng: random.Random, journeys: list[Journey], noise: Noise) -> None:
        # The council's records are kept well, but not perfectly: a lighter dose of noise.
        self.identity: dict[str, Identity] = {
            j.council_id: observe(rng, j.child, noise.scaled(0.3)) for j in journeys
        }
        self.journeys = journeys


def day_month_year(day: date | None) -> str:
    """A date as the council's CSV files write it (31/03/2026), or blank."""
    return day.strftime("%d/%m/%Y") if day else ""


def age_on(date_of_birth: date, on: date) -> int:
    """Age in whole years on a day."""
    return (
        on.year
        - date_of_birth.year
        - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    )
