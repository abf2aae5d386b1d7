"""The children of a fictional place. Each has one true identity; every agency's record of a child
is that identity passed through the noise real systems add (placewise.synth.noise).
"""

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from placewise.synth.addresses import DISTRICTS, postcode, street_address
from placewise.synth.names import forename, surname

ETHNICITY_WEIGHTS = (
    ("WBRI", 70),
    ("WOTH", 6),
    ("MWBC", 3),
    ("MOTH", 2),
    ("APKN", 4),
    ("AIND", 3),
    ("ABAN", 2),
    ("BAFR", 3),
    ("BCRB", 1),
    ("CHNE", 1),
    ("OOTH", 2),
    ("WROM", 1),
    ("REFU", 1),
    ("NOBT", 1),
)


@dataclass(frozen=True, slots=True)
class Identity:
    """Who a child is, as one record (or the truth) has it."""

    given_name: str
    family_name: str
    date_of_birth: date
    sex: str
    postcode: str
    address: str
    nhs_number: str | None
    upn: str | None


@dataclass(slots=True)
class Child:
    """A child of the place: the true identity, and the one after a house move if there was one."""

    person_id: str
    identity: Identity
    ethnicity: str
    team: str
    moved_to: Identity | None = None  # after a house move


def _nhs_number(rng: random.Random) -> str:
    """A 10-digit number with a valid modulus-11 check digit, in the 999 test range."""
    while True:
        digits = [9, 9, 9] + [rng.randrange(10) for _ in range(6)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


# The DfE's UPN check letters: the remainder 0–22 names a letter of A–Z without I, O and S.
UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_check_letter(digits: str) -> str:
    """The check letter of a UPN's other twelve characters, all digits here (DfE, "Unique pupil
    numbers" guide, and the CIN census rule 1510): the sum of character 2 times 2 up to character
    13 times 13, modulo 23. Written here from the DfE's text, not taken from the product's own
    check, so that a test comparing the two can catch a mistake in either."""
    if len(digits) != 12 or not (digits.isascii() and digits.isdigit()):
        raise ValueError("a UPN's characters 2 to 13 are twelve digits here")
    total = sum(int(d) * weight for weight, d in enumerate(digits, start=2))
    return UPN_CHECK_LETTERS[total % 23]


def _upn(rng: random.Random) -> str:
    """A UPN with a valid check letter. Its twelve digits are drawn as before the check letter was
    computed (it was a fixed 'N'), so a seed gives the same place apart from that first letter."""
    digits = "".join(str(rng.randrange(10)) for _ in range(12))
    return upn_check_letter(digits) + digits


def make_child(rng: random.Random, number: int, window_start: date, window_end: date) -> Child:
    """The `number`th child of the place, aged 0–17 at some point in the window."""
    sex = rng.choice("MF")
    earliest = window_start - timedelta(days=365 * 18)
    dob = earliest + timedelta(days=rng.randrange((window_end - earliest).days))
    home = postcode(rng)
    identity = Identity(
        given_name=forename(rng, sex),
        family_name=surname(rng),
        date_of_birth=dob,
        sex=sex,
        postcode=home,
        address=street_address(rng),
        nhs_number=_nhs_number(rng),
        upn=_upn(rng),
    )
    ethnicity = rng.choices([e for e, _ in ETHNICITY_WEIGHTS], [w for _, w in ETHNICITY_WEIGHTS])[0]
    child = Child(f"P{number:07d}", identity, ethnicity, DISTRICTS[home.split()[0]])
    if rng.random() < 0.12:
        # Drawn in this order (postcode, then address) so that a seed gives the same place.
        new_postcode = postcode(rng)
        child.moved_to = replace(identity, postcode=new_postcode, address=street_address(rng))
    return child
