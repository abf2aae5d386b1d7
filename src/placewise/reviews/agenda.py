"""A review session's agenda: which of a team's signals are worth a conversation, new ones
before standing ones (reads only; the session's writes are in actions.py)."""

from datetime import date

from placewise.sharing.publication import PublishedSeries

# A first session counts a signal as new if it began in the series' last three months.
NEW_MONTHS = 3


def agenda_from(
    signals: list[PublishedSeries], team: str, *, since: date | None = None
) -> list[tuple[str, PublishedSeries, date | None]]:
    """The team's current signals worth a conversation, each with when it began standing (None
    for a new one): new concerns, new improvements, then standing concerns and improvements
    (flagged since before `since`, the last session), then indicators consistently meeting their
    target (successes)."""
    mine = [s for s in signals if s.team == team]
    found: list[tuple[str, PublishedSeries, date | None]] = []
    for standing in (False, True):
        for kind in ("concern", "improvement"):
            for s in mine:
                began = standing_since(s, since)
                if s.variation == kind and (began is not None) == standing:
                    found.append((kind, s, began))
    found += [
        ("success", s, None)
        for s in mine
        if s.variation == "common cause" and s.assurance == "pass"
    ]
    return found


def standing_since(signal: PublishedSeries, since: date | None) -> date | None:
    """When the signal's latest unbroken stretch of flagged months began, if that was before
    `since` (or, with no `since`, before the series' last NEW_MONTHS months); else None."""
    months = signal.months
    if not months or not months[-1].state:
        return None
    start = len(months) - 1
    while (
        start > 0
        and months[start - 1].state
        and months[start - 1].direction == months[-1].direction
    ):
        start -= 1
    began = months[start].period
    first_new = months[max(0, len(months) - NEW_MONTHS)].period
    cut = first_new if since is None else since.replace(day=1)
    return began if began < cut else None
