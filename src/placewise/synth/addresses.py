"""Where the fictional place's children live: its postcode districts, streets, and the council
team that covers each district."""

import random

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


def postcode(rng: random.Random) -> str:
    """A postcode in one of the place's districts (NS is no real postcode area)."""
    district = rng.choice(tuple(DISTRICTS))
    return (
        f"{district} {rng.randrange(1, 10)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    )


def street_address(rng: random.Random) -> str:
    """The first line of an address: a house number on one of the place's streets."""
    return f"{rng.randrange(1, 200)} {rng.choice(STREETS)}"
