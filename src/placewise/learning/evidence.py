"""What an indicator did after an action: the months before and after it, on its SPC chart."""

from typing import Any

from placewise.indicators.signals import Signal
from placewise.learning.models import Action

BEFORE = 6


def for_action(action: Action, signal: Signal | None) -> dict[str, Any]:
    if signal is None:
        return {"months_after": 0, "before_mean": None, "after_mean": None, "after_signal": ""}
    points = signal.chart.points
    before = [p for p in points if p.period < action.from_period][-BEFORE:]
    after = [p for p in points if p.period >= action.from_period]
    good = +1 if action.direction == Action.Direction.UP else -1
    flagged = [p for p in after if p.rules]
    after_signal = ""
    if flagged:
        after_signal = "as hoped" if flagged[-1].direction == good else "the wrong way"
    mean = lambda ps: sum(p.value for p in ps) / len(ps) if ps else None  # noqa: E731
    return {
        "months_after": len(after),
        "before_mean": mean(before),
        "after_mean": mean(after),
        "after_signal": after_signal,
        "from_period": action.from_period.isoformat(),
    }
