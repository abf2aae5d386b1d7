"""Every write has one shape (issue 14, item 3): each public function of an app's `actions.py` is
an action — keyword-only, with `by`, atomic, its refusals kept (sharing/writes.py)."""

import importlib
import inspect
import typing
from pathlib import Path

import pytest
from django.contrib.auth.models import User

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


# Every module whose public functions write with an actor: each app's actions.py, found on disk so
# a new app is checked without being listed, and the writes kept beside them.
SRC = Path(__file__).resolve().parents[2] / "src"
WRITERS = sorted(
    {".".join(p.relative_to(SRC).with_suffix("").parts) for p in SRC.rglob("actions.py")}
    | set(SHAPED)
    | {
        "placewise.linkage.run",
        "placewise.linkage.recorded",
        "placewise.jobs.at_retention",
        "placewise.community.at_retention",
        "placewise.linkage.export",
        "placewise.sharing.audit",
        "placewise.jobs.workers",
        "placewise.jobs.housekeeping",
        "placewise.sources.recovery",
        "placewise.sources.retention",
        "placewise.sources.purges",
        "placewise.sources.naming",
        "placewise.sharing.opt_outs",
    }
)
# Functions still taking the actor's name, not their record, while their modules were being
# changed by others (issue 14, item 3): each must leave this list as it is brought into the shape.
NOT_YET: set[str] = set()


def _by_annotations(module: str) -> list[tuple[str, object]]:
    found = importlib.import_module(module)
    return [
        (f"{module}.{name}", typing.get_type_hints(f).get("by", "no annotation"))
        for name, f in inspect.getmembers(found, inspect.isfunction)
        if f.__module__ == module
        and not name.startswith("_")
        and "by" in inspect.signature(f).parameters
    ]


@pytest.mark.parametrize("module", WRITERS)
def test_every_actor_is_a_user_record(module):
    """`by` is a user record (sharing/actors.py names the command line, the worker and links),
    never a name, None or the anonymous visitor: the audit log's actor is `by.get_username()`."""
    annotated = _by_annotations(module)
    wrong = [name for name, hint in annotated if hint is not User and name not in NOT_YET]
    assert not wrong, f"by= must be annotated django.contrib.auth.models.User: {wrong}"
    shaped = [name for name, hint in annotated if hint is User and name in NOT_YET]
    assert not shaped, f"now takes a user record: take it off NOT_YET: {shaped}"


def test_the_actor_check_finds_what_it_looks_for():
    found = dict(_by_annotations("placewise.reviews.actions"))
    assert found["placewise.reviews.actions.close_action"] is User
    assert "placewise.sources.actions" in WRITERS and "placewise.guide.actions" in WRITERS
    assert "placewise.reviews.actions.agenda_from" not in found  # it has no actor


def test_the_actor_check_refuses_a_name():
    def close(*, session: str, by: str) -> str:
        return session

    assert typing.get_type_hints(close)["by"] is not User
