"""What an indicator did after an action: the months before and after it, on its SPC chart.

Read from the series as the viewer may see it (`sharing.publication`): a partner whose series has
a withheld month gets no before/after means and no signal, since each is worked out from it."""

from typing import Any

from placewise.learning.models import Action
from placewise.sharing.publication import PublishedSeries

BEFORE = 6


def for_action(action: Action, published: PublishedSeries | None) -> dict[str, Any]:
    if published is None:
        return {"months_after": 0, "before_mean": None, "after_mean": None, "after_signal": ""}
    months = published.months
    before = [m for m in months if m.period < action.from_period][-BEFORE:]
    after = [m for m in months if m.period >= action.from_period]
    good = +1 if action.direction == Action.Direction.UP else -1
    flagged = [m for m in after if m.rules]
    after_signal = ""
    if flagged:
        after_signal = "as hoped" if flagged[-1].direction == good else "the wrong way"
    if published.limits_withheld:
        after_signal = "withheld"
    return {
        "months_after": len(after),
        "before_mean": _mean(before, published),
        "after_mean": _mean(after, published),
        "after_signal": after_signal,
        "from_period": action.from_period.isoformat(),
        "withheld": published.limits_withheld,
    }


def _mean(months: list[Any], published: PublishedSeries) -> float | None:
    if not months or published.limits_withheld or any(m.value is None for m in months):
        return None
    return sum(float(m.value) for m in months) / len(months)
