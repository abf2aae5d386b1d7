"""What an indicator did after an action: the months before and after it, on its SPC chart.

Read from the series as the viewer may see it (`sharing.publication`): a partner whose series has
a withheld month gets no before/after means and no signal, since each is worked out from it."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils.module_loading import import_string

from placewise.indicators.spc import RUN
from placewise.reviews.models import Action, Verdict

if TYPE_CHECKING:  # imported by the apps' ready(): publication (numpy, SciPy) is not needed then
    from placewise.sharing.publication import PublishedSeries

BEFORE = 6
# A verdict other than "too early to tell" needs the chart's rules to be able to speak: a shift
# is 7 months on one side of the mean (spc.RUN), so 7 months since the action began, unless a
# rule has already flagged a month since (a point outside the limits needs only one).
MONTHS_FOR_A_VERDICT = RUN
SIGNALS = ("as hoped", "the wrong way")


# How a kind of measure other than an indicator answers "did it move?" for a viewer (a practice
# criterion: the practitioner's grades in the peer reviews before and after the action). The app
# that owns the measure registers its finder when Django starts; the follow-up engine knows none.
# A finder's answer may carry "waiting": why only "too early to tell" may be recorded yet.
Finder = Callable[[Action, Any], dict[str, Any]]
_FINDERS: dict[str, Finder | str] = {}


def register(measure: str, finder: Finder | str) -> None:
    """The finder, or its dotted path (`package.module.function`), imported when first asked."""
    _FINDERS[measure] = finder


def of(action: Action, viewer: Any) -> dict[str, Any]:
    """The evidence for an action whose measure is not an indicator, as the viewer may see it."""
    finder = _FINDERS.get(action.measure)
    if finder is None:
        raise LookupError(f"No evidence is known for a measure of the kind '{action.measure}'.")
    if isinstance(finder, str):
        finder = _FINDERS[action.measure] = import_string(finder)
    return finder(action, viewer)


def too_early(found: dict[str, Any]) -> str:
    """Why only "too early to tell" may be recorded on this evidence ("" when any verdict may)."""
    if "waiting" in found:
        return str(found["waiting"])
    # A measure that is not a chart (a person's own reflection) says when it can speak.
    if found.get("ready"):
        return ""
    if found.get("after_signal") in SIGNALS:
        return ""
    months = int(found.get("months_after") or 0)
    if months >= MONTHS_FOR_A_VERDICT:
        return ""
    since = found.get("from_period", "")
    return (
        f"There {'is' if months == 1 else 'are'} {months} month{'' if months == 1 else 's'} of "
        f"data since the action began{f' ({since[:7]})' if since else ''}, and no signal yet. "
        f"The chart's rules can tell a change from chance after {MONTHS_FOR_A_VERDICT} months "
        f"(or sooner, if a month falls outside the limits): until then the verdict is "
        f"'{Verdict.Outcome.TOO_EARLY.label.lower()}'."
    )


def for_action(action: Action, published: "PublishedSeries | None") -> dict[str, Any]:
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


def _mean(months: list[Any], published: "PublishedSeries") -> float | None:
    if not months or published.limits_withheld or any(m.value is None for m in months):
        return None
    return sum(float(m.value) for m in months) / len(months)
