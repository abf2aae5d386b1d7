"""The children behind one month's figure of an indicator: who the definition counted, and the
case references of their records in the sources a viewer may see. Person-level: the view asks
the policy function for each source first; identifiers never leave the enclave — only each
record's source and case reference, which the viewer could already look up."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from placewise.indicators import compute
from placewise.indicators.export import PLACE
from placewise.indicators.library import Indicator
from placewise.store import stores
from placewise.store.queries import run


@dataclass(frozen=True)
class Member:
    counted: float  # this child's part of the numerator: 1 or 0 per thing counted, or values
    of: float  # how many things counted are this child's (e.g. two referrals in the month)
    records: list[tuple[str, str]] = field(default_factory=list)  # (source, case reference)


def members(indicator: Indicator, period: date, team: str) -> dict[str, tuple[float, float]]:
    """Who (a person key, or the token of a record never linked) → their part of the numerator
    and of the denominator."""
    population = compute.read_population(settings.PLACEWISE_POPULATION_FILE)
    query = compute.series(indicator, population, pick=(period, None if team == PLACE else team))
    return {r["who"]: (float(r["n"]), float(r["d"])) for r in run(query)} if query else {}


def with_references(counted: dict[str, tuple[float, float]], sources: set[str]) -> list[Member]:
    """Each child with the case references of their records from `sources` (none when the viewer
    may see no source that holds them: the child is still counted, as withheld)."""
    whos = list(counted)
    tokens = {w: {w} for w in whos}
    with stores.analytic(read_only=True) as store:
        for key, token in store.execute(
            "SELECT person_key, token FROM person_links "
            "WHERE person_key IN (SELECT unnest(?::VARCHAR[]))",
            [whos],
        ).fetchall():
            tokens[key].add(token)
    owner = {t: w for w, ts in tokens.items() for t in ts}
    found: dict[str, set[tuple[str, str]]] = {w: set() for w in whos}
    if sources and owner:
        with stores.enclave(read_only=True) as vault:
            for token, source, reference in vault.execute(
                "SELECT DISTINCT token, source, record_id FROM identities "
                "WHERE token IN (SELECT unnest(?::VARCHAR[])) "
                "AND source IN (SELECT unnest(?::VARCHAR[]))",
                [list(owner), sorted(sources)],
            ).fetchall():
                found[owner[token]].add((source, reference))
    return sorted(
        (Member(*counted[w], sorted(found[w])) for w in whos),
        key=lambda m: (-m.counted, m.records or [("~", "")]),
    )
