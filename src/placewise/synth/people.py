"""The children of a fictional place, and how each agency mis-records them.

Every child has one true identity; each source record is that identity passed through the noise
real systems add (typos, nicknames, day/month swaps, surname changes, house moves, missing IDs).
"""

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

GIVEN_F = (
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Grace",
    "Sophia",
    "Lily",
    "Freya",
    "Emily",
    "Ivy",
    "Ella",
    "Rosie",
    "Evie",
    "Florence",
    "Poppy",
    "Charlotte",
    "Willow",
    "Isabella",
    "Sienna",
    "Elizabeth",
    "Jessica",
    "Katherine",
    "Rebecca",
    "Victoria",
    "Abigail",
    "Amira",
    "Zara",
    "Aisha",
    "Maryam",
    "Hannah",
    "Niamh",
    "Megan",
    "Chloe",
    "Lucy",
    "Ruby",
    "Daisy",
)
GIVEN_M = (
    "Oliver",
    "George",
    "Noah",
    "Arthur",
    "Leo",
    "Muhammad",
    "Harry",
    "Oscar",
    "Archie",
    "Henry",
    "Theodore",
    "Freddie",
    "Jack",
    "Charlie",
    "Thomas",
    "William",
    "James",
    "Joshua",
    "Alexander",
    "Benjamin",
    "Daniel",
    "Matthew",
    "Samuel",
    "Joseph",
    "Edward",
    "Michael",
    "Robert",
    "Jacob",
    "Ethan",
    "Mason",
    "Kai",
    "Ibrahim",
    "Yusuf",
    "Adam",
    "Liam",
    "Ryan",
)
NICKNAMES = {
    "William": "Bill",
    "Thomas": "Tom",
    "James": "Jim",
    "Joshua": "Josh",
    "Alexander": "Alex",
    "Benjamin": "Ben",
    "Daniel": "Dan",
    "Matthew": "Matt",
    "Samuel": "Sam",
    "Joseph": "Joe",
    "Edward": "Ed",
    "Michael": "Mike",
    "Robert": "Rob",
    "Jacob": "Jake",
    "Elizabeth": "Beth",
    "Jessica": "Jess",
    "Katherine": "Kate",
    "Rebecca": "Becky",
    "Victoria": "Tori",
    "Abigail": "Abbie",
    "Charlotte": "Lottie",
    "Isabella": "Bella",
    "Theodore": "Theo",
    "Frederick": "Fred",
    "Oliver": "Ollie",
    "Henry": "Harry",
    "Florence": "Flo",
}
FAMILY = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Thomas",
    "Clarke",
    "Jackson",
    "Wood",
    "Harris",
    "Edwards",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Hughes",
    "Moore",
    "Clark",
    "King",
    "Harrison",
    "Lewis",
    "Baker",
    "Lee",
    "Allen",
    "Morris",
    "Khan",
    "Scott",
    "Watson",
    "Davis",
    "Parker",
    "James",
    "Bennett",
    "Young",
    "Phillips",
    "Richardson",
    "Mitchell",
    "Bailey",
    "Carter",
    "Cook",
    "Singh",
    "Shaw",
    "Bell",
    "Collins",
    "Morgan",
    "Kelly",
    "Begum",
    "Miller",
    "Cox",
    "Hussain",
    "Marshall",
    "Simpson",
    "Price",
    "Anderson",
    "Adams",
    "Wilkinson",
    "Ali",
    "Ahmed",
    "Foster",
    "Ellis",
    "Murphy",
    "Chapman",
    "Mason",
    "Gray",
    "Richards",
    "Webb",
    "Griffiths",
    "Hunt",
    "Palmer",
    "Campbell",
    "Holmes",
    "Mills",
    "Rogers",
    "Barnes",
    "Knight",
    "Matthews",
    "Barker",
    "Powell",
    "Stevens",
    "Kaur",
    "Fisher",
    "Butler",
    "Dixon",
    "Russell",
    "Harvey",
    "Pearson",
    "Graham",
    "Okafor",
    "Nowak",
    "Kowalski",
    "Mensah",
    "Osei",
    "Novak",
    "Rahman",
)
# English-looking surnames made from place-name parts, for the long tail a real place has: with
# only the common surnames above, a region's worth of children had some 20 times the chance
# look-alikes (same forename, surname and date of birth) England has.
_SURNAME_HEADS = (
    "Ash",
    "Black",
    "Brad",
    "Brook",
    "Clay",
    "Cross",
    "Dal",
    "Fair",
    "Green",
    "Hart",
    "Hol",
    "King",
    "Lang",
    "Mar",
    "Mill",
    "Nor",
    "Oak",
    "Pem",
    "Ross",
    "Shel",
    "Stan",
    "Thorn",
    "Wal",
    "West",
    "Whit",
    "Wood",
    "Ald",
    "Bar",
    "Cal",
    "Dun",
    "Elm",
    "Fen",
    "Gold",
    "Hay",
    "Kel",
    "Lin",
    "Mid",
    "New",
    "Pad",
    "Rad",
)
_SURNAME_TAILS = (
    "ley",
    "ton",
    "well",
    "wood",
    "field",
    "by",
    "ford",
    "ham",
    "worth",
    "more",
    "croft",
    "stead",
    "bury",
    "combe",
    "dale",
    "hurst",
    "wick",
    "den",
    "shaw",
    "gate",
)
EXTRA_FAMILY = tuple(h + t for h in _SURNAME_HEADS for t in _SURNAME_TAILS)
MORE_GIVEN_F = (
    "Alice",
    "Phoebe",
    "Matilda",
    "Harper",
    "Evelyn",
    "Sofia",
    "Esme",
    "Maisie",
    "Millie",
    "Scarlett",
    "Eliza",
    "Violet",
    "Penelope",
    "Aria",
    "Luna",
    "Bonnie",
    "Thea",
    "Harriet",
    "Imogen",
    "Ada",
    "Robyn",
    "Layla",
    "Lola",
    "Erin",
    "Molly",
    "Orla",
    "Eleanor",
    "Clara",
    "Nancy",
    "Beatrice",
    "Maya",
    "Zoe",
    "Holly",
    "Ellie",
    "Leah",
    "Lacey",
    "Fatima",
    "Khadija",
    "Hafsa",
    "Inaya",
    "Anaya",
    "Priya",
    "Simran",
    "Mariam",
    "Nadia",
    "Sara",
    "Amber",
    "Jasmine",
    "Paige",
    "Courtney",
    "Georgia",
    "Abbie",
    "Tilly",
    "Edie",
    "Iris",
    "Hallie",
    "Lottie",
    "Margot",
    "Delilah",
    "Ayla",
)
MORE_GIVEN_M = (
    "Alfie",
    "Jacob",
    "Lucas",
    "Finley",
    "Isaac",
    "Reggie",
    "Albie",
    "Tommy",
    "Teddy",
    "Hugo",
    "Louie",
    "Elijah",
    "Max",
    "Arlo",
    "Rory",
    "Ronnie",
    "Sonny",
    "Jude",
    "Harrison",
    "Frankie",
    "Zachary",
    "Dylan",
    "Toby",
    "Jenson",
    "Elliot",
    "Ezra",
    "Luca",
    "Reuben",
    "Felix",
    "Stanley",
    "Jesse",
    "Caleb",
    "Nathan",
    "Aaron",
    "Lewis",
    "Connor",
    "Callum",
    "Jamie",
    "Kian",
    "Riley",
    "Omar",
    "Ali",
    "Hamza",
    "Ayaan",
    "Zayn",
    "Rayyan",
    "Arjun",
    "Rohan",
    "Aarav",
    "Dominic",
    "Patrick",
    "Sebastian",
    "Gabriel",
    "Nathaniel",
    "Tyler",
    "Bradley",
    "Kieran",
    "Owen",
    "Evan",
    "Ollie",
)
STREETS = (
    "High Street",
    "Station Road",
    "Church Lane",
    "Mill Road",
    "Victoria Street",
    "Park Avenue",
    "Queens Road",
    "Green Lane",
    "Manor Way",
    "School Lane",
    "North Road",
    "Kings Crescent",
    "Orchard Close",
    "Riverside",
    "Chapel Street",
    "Moor Lane",
)
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
# Postcode districts of the fictional place, and the council team that covers each.
DISTRICTS = {
    "NS1": "North",
    "NS2": "North",
    "NS3": "South",
    "NS4": "South",
    "NS5": "East",
    "NS6": "East",
    "NS7": "West",
    "NS8": "West",
    "NS9": "Central",
    "NS10": "Central",
}
TEAMS = ("North", "South", "East", "West", "Central")


@dataclass(frozen=True, slots=True)
class Identity:
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


def _upn(rng: random.Random) -> str:
    # 'N' marks these as not issued by any real school (real UPNs start with a check letter).
    return "N" + "".join(str(rng.randrange(10)) for _ in range(12))


def _postcode(rng: random.Random) -> str:
    district = rng.choice(tuple(DISTRICTS))
    return (
        f"{district} {rng.randrange(1, 10)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    )


def _weighted(names: tuple[str, ...], tail: tuple[str, ...]) -> tuple[tuple[str, ...], list[float]]:
    """Names in order of how common they are, with cumulative weights for `random.choices`. The
    long-tailed (Zipf-like) shape gives the commonest surname 1.2% of children, as Smith has in
    England, and the commonest girl's name about 3%."""
    pool = tuple(dict.fromkeys((*names, *tail)))
    weights = [1.0 / (rank + 8) ** 0.7 for rank in range(len(pool))]
    total, running = 0.0, []
    for w in weights:
        total += w
        running.append(total)
    return pool, running


SURNAMES, SURNAME_WEIGHTS = _weighted(FAMILY, EXTRA_FAMILY)
GIRLS, GIRL_WEIGHTS = _weighted(GIVEN_F, MORE_GIVEN_F)
BOYS, BOY_WEIGHTS = _weighted(GIVEN_M, MORE_GIVEN_M)


def surname(rng: random.Random) -> str:
    return rng.choices(SURNAMES, cum_weights=SURNAME_WEIGHTS)[0]


def forename(rng: random.Random, sex: str) -> str:
    if sex == "M":
        return rng.choices(BOYS, cum_weights=BOY_WEIGHTS)[0]
    return rng.choices(GIRLS, cum_weights=GIRL_WEIGHTS)[0]


def make_child(rng: random.Random, number: int, window_start: date, window_end: date) -> Child:
    sex = rng.choice("MF")
    # Aged 0–17 at some point in the window.
    earliest = window_start - timedelta(days=365 * 18)
    dob = earliest + timedelta(days=rng.randrange((window_end - earliest).days))
    postcode = _postcode(rng)
    identity = Identity(
        given_name=forename(rng, sex),
        family_name=surname(rng),
        date_of_birth=dob,
        sex=sex,
        postcode=postcode,
        address=f"{rng.randrange(1, 200)} {rng.choice(STREETS)}",
        nhs_number=_nhs_number(rng),
        upn=_upn(rng),
    )
    ethnicity = rng.choices([e for e, _ in ETHNICITY_WEIGHTS], [w for _, w in ETHNICITY_WEIGHTS])[0]
    child = Child(f"P{number:07d}", identity, ethnicity, DISTRICTS[postcode.split()[0]])
    if rng.random() < 0.12:
        new_postcode = _postcode(rng)
        child.moved_to = replace(
            identity,
            postcode=new_postcode,
            address=f"{rng.randrange(1, 200)} {rng.choice(STREETS)}",
        )
    return child


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
