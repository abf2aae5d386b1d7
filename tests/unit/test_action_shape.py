"""Every write has one shape (issue 14, item 3): each public function of an app's `actions.py` is
an action — keyword-only, with `by`, atomic, its refusals kept (sharing/writes.py)."""

import importlib
import inspect

import pytest

from placewise.sharing.writes import NotAnAction, action

# Apps whose writes have been brought into the shape. Sources and linkage follow (issue 14).
SHAPED = (
    "placewise.sharing.actions",
    "placewise.outcomes.actions",
    "placewise.reviews.actions",
    "placewise.operations.actions",
    "placewise.jobs.actions",
    "placewise.governance.actions",
    "placewise.service_reviews.actions",
    "placewise.practice.actions",
    "placewise.supervision.actions",
    "placewise.leadership.actions",
    "placewise.initiatives.actions",
    "placewise.surveys.actions",
    "placewise.public.actions",
    "placewise.approaches.actions",
    "placewise.systemmap.actions",
    "placewise.guide.actions",
    "placewise.community.actions",
)
# Public functions of those modules that write nothing: reads and pure helpers kept beside them.
NOT_WRITES = {"agenda_from", "session_organisation", "standing_since"}


@pytest.mark.parametrize("module", SHAPED)
def test_every_public_function_of_an_actions_module_is_an_action(module):
    found = importlib.import_module(module)
    functions = [
        (name, f)
        for name, f in inspect.getmembers(found, inspect.isfunction)
        if f.__module__ == module and not name.startswith("_") and name not in NOT_WRITES
    ]
    assert functions, f"{module} has no actions: the check would pass on nothing"
    not_actions = [name for name, f in functions if not getattr(f, "is_action", False)]
    assert not not_actions, f"{module}: not declared with @writes.action: {not_actions}"


def test_a_positional_argument_is_refused_when_the_module_is_imported():
    with pytest.raises(NotAnAction, match="session must be keyword-only"):

        @action
        def add(session, *, by):
            return session

    with pytest.raises(NotAnAction, match="names no actor"):

        @action
        def close(*, session):
            return session
