"""A child's journey across agencies as one viewer may see it: every record linked to the child,
each source its own audited decision of the policy function; what a decision withholds is counted
and named by whose it is, never shown.

One function for every page that opens a child's journey — the journey page, a peer review's case,
an operational review's sample — so none of them can show more than another would."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from placewise.sharing import policy
from placewise.store import queries

Decide = Callable[[str], policy.Access]


@dataclass
class Journey:
    events: list[dict[str, Any]] = field(default_factory=list)
    # {"count", "provider", "reason"}: what a source's decision left out, and why.
    withheld: list[dict[str, Any]] = field(default_factory=list)
    linked_sources: int = 1


def provider_name(source: str) -> str:
    """The organisation that provides a source, by name (the source's own name if none is
    registered): a refusal for want of a role names no provider."""
    provider = policy.provider_of(source)
    return provider.name if provider is not None else source


def across_agencies(
    user: Any,
    *,
    token: str,
    source: str,
    reference: str,
    purpose: str,
    access: policy.Access,
    decide: Decide | None = None,
) -> Journey:
    """The events of every record linked to the record `token` names (`source`, `reference`),
    which `access` lets the user see. Each other source is asked of the policy function for
    `purpose` — or of `decide`, when a page narrows it further (a peer review: never more than the
    presenter may see)."""

    def asked(other: str) -> policy.Access:
        return policy.decide(
            user, source=other, purpose=purpose, subject=f"{source}/{reference} (linked)"
        )

    linked = queries.run(queries.linked_records(token)) or [{"token": token, "source": source}]
    by_source: dict[str, list[str]] = {}
    for row in linked:
        by_source.setdefault(row["source"], []).append(row["token"])
    journey = Journey(linked_sources=len(by_source))
    for other, tokens in sorted(by_source.items()):
        decision = access if other == source else (decide or asked)(other)
        total = queries.run(queries.event_count(tokens))[0]["n"]
        if decision.allowed:
            journey.events.extend(queries.run(queries.person_events(tokens, decision.kinds)))
        # Shown rows merge the same event from several returns, so what was left out is counted
        # by kind rather than by subtraction.
        hidden = (
            total - queries.run(queries.event_count_of_kinds(tokens, decision.kinds))[0]["n"]
            if decision.allowed
            else total
        )
        if hidden > 0:
            journey.withheld.append(
                {
                    "count": hidden,
                    "provider": decision.provider or provider_name(other),
                    "reason": "" if decision.allowed else decision.reason.rstrip("."),
                }
            )
    journey.events.sort(key=lambda e: (e["start_date"] is None, str(e["start_date"]), e["kind"]))
    return journey
