"""One shape for every write (issue 14): `@action` makes a function an action.

An action takes keyword arguments only, one of them `by` (who did it); runs in one transaction
with its audit entries; and keeps the refusals it recorded even when it then fails: a refusal
recorded inside the transaction would otherwise be rolled back with everything else, and the log
would not show that someone tried (`audit.refusals_kept`). `tests/unit/test_action_shape.py`
checks every public function of every `actions.py` has this shape.
"""

import functools
import inspect
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import transaction

from placewise.sharing import audit

P = ParamSpec("P")
R = TypeVar("R")


class NotAnAction(TypeError):
    """A function declared as an action without an action's shape."""


def action(function: Callable[P, R]) -> Callable[P, R]:
    """Keyword-only with `by`; atomic; refusals kept. Checked when the module is imported."""
    parameters = inspect.signature(function).parameters.values()
    positional = [p.name for p in parameters if p.kind is not inspect.Parameter.KEYWORD_ONLY]
    if positional:
        raise NotAnAction(f"{function.__qualname__}: {', '.join(positional)} must be keyword-only")
    if "by" not in {p.name for p in parameters}:
        raise NotAnAction(f"{function.__qualname__} names no actor: it needs by=")

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with audit.refusals_kept(), transaction.atomic():
            return function(*args, **kwargs)

    run.is_action = True  # type: ignore[attr-defined]
    return run
