"""Evidence for an action measured by the person's own reflection (a 4C experiment, a coaching
Will): what they said happened since it was agreed, and what they judged its effect to be.
Registered with the follow-up engine when Django starts (apps.py).

There is no chart to wait for: the person says when it is too soon to tell. Until they have
reflected since the action was agreed, or while they say it is too soon, the answer is "waiting"
and only "too early to tell" may be recorded."""

from typing import Any

from placewise.leadership.models import Reflection
from placewise.reviews.models import Action


def reflection(action: Action, viewer: Any) -> dict[str, Any]:
    agreed = action.agreed_on or action.from_period
    found: dict[str, Any] = {
        "measure": Action.Measure.REFLECTION.value,
        "agreed_on": agreed.isoformat(),
        "from_period": action.from_period.isoformat(),
    }
    latest = (
        Reflection.objects.filter(action=action, written_on__gte=agreed)
        .order_by("written_on", "pk")
        .last()
    )
    if latest is None:
        found["waiting"] = (
            f"Nothing has been written about what happened since this was agreed on "
            f"{agreed:%-d %B %Y}: until then the follow-up is 'too early to tell'."
        )
        return found
    found["reflected_on"] = latest.written_on.isoformat()
    found["summary"] = (
        f"Reflection of {latest.written_on:%-d %B %Y}: {latest.get_effect_display()}."
    )
    if not latest.effect:
        found["waiting"] = (
            f"The reflection of {latest.written_on:%-d %B %Y} says it is too soon to say: the "
            "follow-up is 'too early to tell'."
        )
        return found
    found["after_signal"] = latest.effect
    found["ready"] = True
    return found
