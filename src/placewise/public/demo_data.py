"""The demo place's public portal, made through the portal's own actions: a data strategy, and
a set of figures (for the place, and one of them by area) proposed by an analyst and signed off
by a data owner as the second person, with one more left waiting for sign-off."""

from datetime import date

from django.contrib.auth.models import User

from placewise.indicators.export import PLACE
from placewise.indicators.library import Indicator
from placewise.outcomes import data
from placewise.public import actions
from placewise.public.schedule import one_month_after
from placewise.sharing.models import Agreement

PLACE_FIGURES = 4  # how many indicators the demo publishes for the whole place
AREAS = 3  # and for how many areas the first of them


def _texts(indicator: Indicator) -> dict[str, str]:
    sources = sorted(data.sources_of(indicator))
    counting = (
        f"{indicator.numerator[:1].upper()}{indicator.numerator[1:]}, out of "
        f"{indicator.denominator}."
        if indicator.denominator
        else f"{indicator.numerator[:1].upper()}{indicator.numerator[1:]}."
    )
    return {
        "meaning": indicator.question,
        "counting": counting,
        "source": (
            "Records the partners already keep and return to the government"
            + (f" ({', '.join(sources)})" if sources else "")
            + "."
        ),
    }


def build(
    *,
    analyst: User,
    data_owner: User,
    agreement: Agreement | None,
    today: date,
) -> list[int]:
    """The strategy and the figures; returns the published figures' numbers."""
    actions.edit_strategy(
        ambition=(
            "Every child in Northshire is safe, healthy and does well, and the partners who "
            "help them learn together from what the data shows."
        ),
        vision=(
            "The council, the NHS, the police and schools share what they must, openly and "
            "lawfully, and publish what they learn so that families can see how services are "
            "doing and hold us to account."
        ),
        purposes="\n".join(
            [
                "Keep children safe: see one child's journey across services when an agreement allows it.",
                "Improve services: read each month's figures as signals, and act on them.",
                "Be open: publish figures anyone can download and build on, never about one person.",
            ]
        ),
        by=data_owner,
    )
    signals = data.all_signals()
    place = [s for s in signals if s.team == PLACE]
    published: list[int] = []
    chosen: list[tuple[str, str]] = []
    for s in place:
        if len(chosen) >= PLACE_FIGURES:
            break
        chosen.append((s.indicator.key, PLACE))
    teams: dict[str, list[str]] = {}
    for s in signals:
        if s.team != PLACE:
            teams.setdefault(s.indicator.key, []).append(s.team)
    # By area: the first indicator published for the place that has areas' series.
    by_area = next((key for key, _ in chosen if teams.get(key)), next(iter(teams), None))
    if by_area is not None:
        chosen += [(by_area, team) for team in teams[by_area][:AREAS]]
    waiting = next(
        ((s.indicator.key, PLACE) for s in place if (s.indicator.key, PLACE) not in chosen), None
    )
    found = {(s.indicator.key, s.team): s for s in signals}
    for key in [*chosen, *([waiting] if waiting else [])]:
        signal = found[key]
        try:
            figure = actions.propose(
                signal=signal,
                **_texts(signal.indicator),
                agreement=agreement if signal.indicator.area == "multi_agency" else None,
                next_update=one_month_after(today),
                by=analyst,
                today=today,
            )
        except actions.Refused:
            continue  # every month withheld for the public: nothing to publish
        if key != waiting:
            actions.sign_off(figure=figure, by=data_owner)
            published.append(figure.pk)
    return published
