"""What apps above this one keep past a deletion date of their own (a co-design participant's
contact details): each names a step when Django starts (its AppConfig.ready), by dotted path, and
retention — the job and `placewise retention apply` alike — runs them all. A step is called with
the day and the person retention runs for, deletes what is due and says what it did, or "" when
nothing was. Imported when retention runs, not at start-up: a step's module is its app's
actions, heavy to import for every command and web worker."""

from collections.abc import Callable
from datetime import date

from django.contrib.auth.models import User
from django.utils.module_loading import import_string

Step = Callable[[date, User], str]
_STEPS: dict[str, str] = {}


def also_at_retention(name: str, step: str) -> None:
    """Run the function at `step` (`package.module.function`, a Step) with every retention."""
    _STEPS[name] = step


def other_steps(*, today: date, by: User) -> list[str]:
    """Run every registered step; what each did, in words (nothing for a step with nothing due)."""
    steps: list[Step] = [import_string(path) for _, path in sorted(_STEPS.items())]
    said = (step(today, by) for step in steps)
    return [words for words in said if words]
