"""What one viewer may see of the indicators, and how a figure is shown to them: asked by the
outcomes pages and the review sessions alike (a page does not import another app's pages)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from placewise.indicators.library import Indicator
from placewise.outcomes import data
from placewise.sharing import policy, versions


@dataclass(frozen=True)
class View:
    """What one viewer may see of one indicator."""

    indicator: Indicator
    full: bool  # every source is the viewer's own: teams and small counts too


def visible(user: Any) -> tuple[dict[str, View], int]:
    """The indicators this user may see, and how many they may not. Kept per user for a version
    of the data; the agreements are part of the key, so a change to one takes effect at once."""
    # Every change to an agreement's status or to someone's roles bumps the access version. The
    # date, because agreements end by themselves.
    changed = versions.access()
    return data.cached(f"visible:{user.pk}:{changed}:{date.today()}", lambda: _visible(user))


def _visible(user: Any) -> tuple[dict[str, View], int]:
    allowed = policy.aggregate_sources(user)
    own = {s for s, access in allowed.items() if access.own}
    found, hidden = {}, 0
    for key, indicator in data.indicators().items():
        sources = data.sources_of(indicator)
        if not sources:
            continue  # no data for it yet
        if sources <= set(allowed):
            found[key] = View(indicator, full=sources <= own)
        else:
            hidden += 1
    return found, hidden


def figure(indicator: Indicator, value: float | None) -> str:
    """A value as the viewer is shown it: `[c]` where the publication withheld it, else as the
    indicator's method shows its values (indicators/methods)."""
    return "[c]" if value is None else indicator.shown(value)
