"""How each agency mis-records a child: typos, nicknames, day/month swaps, surname changes, house
moves and missing identifiers, at rates a source's `Noise` sets."""

import random
from dataclasses import dataclass, replace
from datetime import date

from placewise.synth.names import NICKNAMES, surname
from placewise.synth.people import Child, Identity


@dataclass(frozen=True)
class Noise:
    """How often each kind of error appears in a source's records. `heavy` multiplies them."""

    typo: float = 0.03
    nickname: float = 0.06
    day_month_swap: float = 0.015
    surname_change: float = 0.02
    missing_nhs: float = 0.08
    missing_upn: float = 0.05
    missing_dob: float = 0.01

    def scaled(self, factor: float) -> "Noise":
        """These rates times `factor`, capped at 0.9 so that even heavy noise leaves some right."""
        return Noise(*(min(0.9, getattr(self, f) * factor) for f in self.__dataclass_fields__))


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:  # transposition
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:  # deletion
        return word[:i] + word[i + 1 :]
    return word[:i] + rng.choice("aeiourstnl") + word[i + 1 :]  # substitution


def observe(rng: random.Random, child: Child, noise: Noise) -> Identity:
    """The child's identity as one agency recorded it on one day."""
    base = child.identity
    if child.moved_to is not None and rng.random() < 0.5:
        base = child.moved_to
    given, family, dob = base.given_name, base.family_name, base.date_of_birth
    if rng.random() < noise.nickname and given in NICKNAMES:
        given = NICKNAMES[given]
    if rng.random() < noise.typo:
        given = _typo(rng, given)
    if rng.random() < noise.typo:
        family = _typo(rng, family)
    if rng.random() < noise.surname_change:
        family = surname(rng)
    if rng.random() < noise.day_month_swap and dob.day <= 12 and dob.day != dob.month:
        dob = date(dob.year, dob.day, dob.month)
    return replace(
        base,
        given_name=given,
        family_name=family,
        date_of_birth=dob,
        nhs_number=None if rng.random() < noise.missing_nhs else base.nhs_number,
        upn=None if rng.random() < noise.missing_upn else base.upn,
    )
