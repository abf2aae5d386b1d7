"""A refusal recorded inside an action stays in the audit log when the action then fails and
its transaction rolls back (sharing/audit.py `refusals_kept`), while the action's other writes do
not."""

import pytest

from placewise.sharing import audit
from placewise.sharing.models import AuditEntry, Organisation
from placewise.sharing.writes import action

pytestmark = pytest.mark.django_db


class Stopped(Exception):
    pass


@action
def _refuse_then_fail(*, by: str) -> None:
    Organisation.objects.create(name="Half-made Trust", kind=Organisation.Kind.OTHER)
    audit.record(actor=by, action="test.write", target="t", allowed=True)
    audit.record(actor=by, action="test.refusal", target="t", allowed=False, reason="not yours")
    raise Stopped


@action
def _outer(*, by: str) -> None:
    audit.record(actor=by, action="test.outer_refusal", allowed=False, reason="outer")
    _refuse_then_fail(by=by)


def test_a_refusal_survives_the_rollback_of_the_action_that_recorded_it():
    with pytest.raises(Stopped):
        _refuse_then_fail(by="mallory")
    refusals = AuditEntry.objects.filter(action="test.refusal")
    assert [(e.actor, e.allowed, e.reason) for e in refusals] == [("mallory", False, "not yours")]
    # The rest of the action rolled back: its organisation and its allowed entry are gone.
    assert not Organisation.objects.filter(name="Half-made Trust").exists()
    assert not AuditEntry.objects.filter(action="test.write").exists()
    assert audit.verify().ok  # written again after the rollback, the chain still holds


def test_nested_actions_keep_every_refusal_once():
    with pytest.raises(Stopped):
        _outer(by="mallory")
    assert AuditEntry.objects.filter(action="test.outer_refusal").count() == 1
    assert AuditEntry.objects.filter(action="test.refusal").count() == 1


def test_a_refusal_in_an_action_that_succeeds_is_recorded_once():
    @action
    def refuse(*, by: str) -> None:
        audit.record(actor=by, action="test.refusal", allowed=False, reason="no")

    refuse(by="mallory")
    assert AuditEntry.objects.filter(action="test.refusal").count() == 1
