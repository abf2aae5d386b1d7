"""The audit chain: any alteration, deletion, insertion or reordering is found and named."""

import pytest

from placewise.cli import main
from placewise.sharing import audit
from placewise.sharing.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    for n in range(1, 6):
        audit.record(
            actor=f"user{n}",
            action="person.read",
            target=f"council/CH{n}",
            allowed=n % 2 == 0,
            reason=f"reason {n}",
            detail={"purpose": "safeguarding"},
        )
    assert audit.verify().ok


def test_an_intact_chain_verifies(chain, capsys):
    assert main(["audit", "verify"]) == 0
    assert "5 entries" in capsys.readouterr().out


def test_entries_refuse_to_be_changed_or_deleted_through_the_app(chain):
    entry = AuditEntry.objects.get(seq=3)
    entry.reason = "nothing to see"
    with pytest.raises(ValueError, match="cannot be changed"):
        entry.save()
    with pytest.raises(ValueError, match="cannot be deleted"):
        entry.delete()


def test_an_edited_entry_is_named(chain, capsys):
    AuditEntry.objects.filter(seq=3).update(reason="nothing to see")  # straight to the database
    result = audit.verify()
    assert not result.ok and result.problem.startswith("entry 3:") and "altered" in result.problem
    assert main(["audit", "verify"]) == 1
    assert "entry 3" in capsys.readouterr().out


def test_a_deleted_entry_is_found(chain):
    AuditEntry.objects.filter(seq=2).delete()
    result = audit.verify()
    assert not result.ok and result.problem.startswith("entry 3:")


def test_deleting_the_newest_entries_is_found(chain):
    AuditEntry.objects.filter(seq__gte=4).delete()
    result = audit.verify()
    assert not result.ok and "newest entries were removed" in result.problem


def test_an_inserted_entry_is_found(chain):
    forged = AuditEntry.objects.get(seq=5)
    AuditEntry.objects.filter(seq=5).update(seq=6)
    AuditEntry.objects.create(
        seq=5,
        at=forged.at,
        actor="mallory",
        action="person.read",
        target="x",
        allowed=True,
        reason="",
        detail={},
        prev_hash=forged.prev_hash,
        hash=forged.hash,
    )
    result = audit.verify()
    assert not result.ok and result.problem.startswith("entry 5:")


def test_reordered_entries_are_found(chain):
    AuditEntry.objects.filter(seq=2).update(seq=99)
    AuditEntry.objects.filter(seq=3).update(seq=2)
    AuditEntry.objects.filter(seq=99).update(seq=3)
    result = audit.verify()
    assert not result.ok and result.problem.startswith("entry 2:")
