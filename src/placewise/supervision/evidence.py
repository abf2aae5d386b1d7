"""Evidence for an action whose measure is a practice criterion (issue 17, item 4): the grades
peers gave the practitioner on that criterion in the peer reviews before the action was agreed
and in those since. Registered with the follow-up engine when Django starts (apps.py), so the
engine asks "did it move?" of a supervision's action as it asks of an indicator's.

Before and after are split at the day the action was agreed, not at the month it starts from
(`from_period`): a review held earlier in the same month is what the supervision discussed, not
what came of it. Until at least one review since has graded the criterion the answer is
"waiting", and only "too early to tell" may be recorded; from then the evidence is "ready" and
any verdict may be (no chart months to wait for). The comparison is of the grade most
peers gave (on a tie, the less good of them: the cautious reading) in the last review before and
the latest since; nothing is averaged, and the grades themselves are kept with the verdict."""

from collections import Counter
from datetime import date
from typing import Any

from django.utils import timezone

from placewise.practice.models import Feedback, PeerReview
from placewise.reviews.models import Action
from placewise.supervision.queries import name, progress_access, reviews_seen


def _grades(review: PeerReview, given: list[str]) -> dict[str, Any]:
    order = list(review.framework.grades)
    counted = sorted(
        Counter(given).items(), key=lambda gc: order.index(gc[0]) if gc[0] in order else 99
    )
    return {"held_on": review.held_on.isoformat(), "grades": [[g, n] for g, n in counted]}


def most_given(grades: list[list[Any]], scale: list[str]) -> str:
    """The grade most peers gave; on a tie, the less good (later on the scale, best first)."""
    top = max(n for _, n in grades)
    tied = [g for g, n in grades if n == top]
    return max(tied, key=lambda g: scale.index(g) if g in scale else -1)


def months_between(start: date, end: date) -> int:
    """Months from the action's month to the review's, both counted (as the engine counts an
    indicator's months since an action)."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def criterion(action: Action, viewer: Any) -> dict[str, Any]:
    """The grades before and since the action, as the viewer may see them (a supervisor sees
    only the reviews shared into supervision)."""
    practitioner = action.practitioner
    if practitioner is None:
        raise LookupError("A criterion's action names whose practice it is about.")
    view = progress_access(viewer, practitioner, timezone.localdate())
    agreed = action.agreed_on or action.from_period
    reviews = list(reviews_seen(view))
    given: dict[int, list[str]] = {}
    for f in Feedback.objects.filter(review__in=reviews, criterion__key=action.measure_key):
        given.setdefault(f.review_id, []).append(f.grade)
    graded = [r for r in reviews if r.pk in given]
    before = [r for r in graded if r.held_on <= agreed]
    after = [r for r in graded if r.held_on > agreed]
    found: dict[str, Any] = {
        "measure": Action.Measure.CRITERION.value,
        "criterion": action.measure_key,
        "from_period": action.from_period.isoformat(),
        "agreed_on": agreed.isoformat(),
        "before": [_grades(r, given[r.pk]) for r in before],
        "after": [_grades(r, given[r.pk]) for r in after],
        "shared_only": not view.own,
    }
    if not after:
        shared = " shared into supervision" if not view.own else ""
        found["waiting"] = (
            f"No peer review of {name(practitioner)}{shared} has graded this criterion since the "
            f"action was agreed on {agreed:%-d %B %Y}: the next review's grades will say whether "
            "the practice changed. Until then the follow-up is 'too early to tell'."
        )
        return found
    latest = after[-1]
    # Grades are not a chart: a review since can speak at once, whatever it says.
    found["ready"] = True
    found["months_after"] = months_between(action.from_period, latest.held_on)
    found["latest_since"] = most_given(found["after"][-1]["grades"], list(latest.framework.grades))
    if not before:
        found["after_signal"] = ""
        found["summary"] = (
            f"Since: {found['latest_since']} ({latest.held_on:%-d %B %Y}); no earlier review "
            "graded this criterion to compare it with."
        )
        return found
    last = before[-1]
    scale = list(latest.framework.grades) + [
        g for g in last.framework.grades if g not in latest.framework.grades
    ]
    found["last_before"] = most_given(found["before"][-1]["grades"], list(last.framework.grades))
    then, now = scale.index(found["last_before"]), scale.index(found["latest_since"])
    better = now < then if action.direction == Action.Direction.UP else now > then
    worse = now > then if action.direction == Action.Direction.UP else now < then
    found["after_signal"] = "as hoped" if better else "the wrong way" if worse else "no change"
    found["summary"] = (
        f"Most peers' grade before: {found['last_before']} ({last.held_on:%-d %B %Y}); since: "
        f"{found['latest_since']} ({latest.held_on:%-d %B %Y})."
    )
    return found
