"""The audit chain: any alteration, deletion, insertion or reordering is found and named; it is
keyed, so it cannot be recomputed without the place's audit key; and anchors kept outside the
database catch a log cut back or rewritten since they were taken."""

import hashlib
import hmac
import json
import shutil
from collections.abc import Callable

import pytest

from placewise.cli import main
from placewise.sharing import actors, audit
from placewise.sharing.models import AuditEntry, AuditHead

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def home(settings, tmp_path):
    """A home of the test's own, so anchors never come from (or go to) a real place's."""
    settings.PLACEWISE_HOME = tmp_path / "home"
    settings.PLACEWISE_HOME.mkdir()
    return settings.PLACEWISE_HOME


@pytest.fixture
def chain():
    # Entry 1: the command line's account made (sharing/actors.py), as `placewise audit anchor`
    # would make it; the commands below then act as it without adding to the five entries.
    actors.command_line()
    for n in range(2, 6):
        audit.record(
            actor=f"user{n}",
            action="person.read",
            target=f"council/CH{n}",
            allowed=n % 2 == 0,
            reason=f"reason {n}",
            detail={"purpose": "safeguarding"},
        )
    assert audit.verify().ok


def rewrite(from_seq: int, sign: Callable[[bytes], str], **change: object) -> None:
    """What someone who can write to the database does to hide an edit: change one entry, then
    recompute its hash, every later one and the head, laying out each entry as the source does."""
    AuditEntry.objects.filter(seq=from_seq).update(**change)
    prev = AuditEntry.objects.get(seq=from_seq - 1).hash if from_seq > 1 else "0" * 64
    for e in AuditEntry.objects.filter(seq__gte=from_seq).order_by("seq"):
        body = json.dumps(
            [
                e.seq,
                e.at.isoformat(timespec="microseconds"),
                e.actor,
                e.action,
                e.target,
                e.allowed,
                e.reason,
                e.detail,
                prev,
            ],
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        )
        digest = sign(body.encode())
        AuditEntry.objects.filter(pk=e.pk).update(prev_hash=prev, hash=digest)
        prev = digest
    AuditHead.objects.filter(pk=1).update(hash=prev)


def without_the_key(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def with_the_key(body: bytes) -> str:
    """An insider who has read the place's secrets as well as the database."""
    from django.conf import settings

    return hmac.new(settings.AUDIT_KEY.encode(), body, hashlib.sha256).hexdigest()


def cut_back_to(seq: int) -> None:
    """Delete every entry after `seq` and point the head at it, so the chain itself looks whole."""
    AuditEntry.objects.filter(seq__gt=seq).delete()
    kept = AuditEntry.objects.get(seq=seq)
    AuditHead.objects.filter(pk=1).update(seq=seq, hash=kept.hash)


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


def test_a_chain_recomputed_without_the_key_is_caught(chain, capsys):
    """Issue 12, defect 3: plain SHA-256 over the entry, recomputed onwards, used to pass."""
    rewrite(3, without_the_key, reason="nothing to see")
    assert AuditEntry.objects.get(seq=4).prev_hash == AuditEntry.objects.get(seq=3).hash
    result = audit.verify()
    assert not result.ok
    assert result.problem == "entry 3: its contents were altered"
    # Every recomputed entry is named: none of them carries the place's key.
    assert result.problems == tuple(f"entry {n}: its contents were altered" for n in (3, 4, 5))
    assert main(["audit", "verify"]) == 1
    assert "entry 3: its contents were altered" in capsys.readouterr().out


def test_a_long_target_keeps_the_chain_intact(people, capsys):
    """Issue 12, defect 2: a 400-character team in a GET request broke verify for ever."""
    from placewise.sharing import policy

    subject = "children behind referrals, March 2026, Team " + "X" * 400
    policy.decide(people["bob"], source="council_csc", purpose="safeguarding", subject=subject)
    read = AuditEntry.objects.get(action="person.read")
    assert read.target == f"council_csc/{subject}"[:300]
    assert len(read.target) == 300
    assert audit.verify().ok
    assert main(["audit", "verify"]) == 0
    assert "chain unbroken" in capsys.readouterr().out


def test_every_field_is_stored_and_hashed_within_its_column():
    audit.record(actor="a" * 200, action="b" * 100, target="c" * 400, reason="d" * 5000)
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target) == ("a" * 150, "b" * 60, "c" * 300)
    assert entry.reason == "d" * 5000  # a text column: nothing to cut
    assert audit.verify().ok


def test_two_separate_tamperings_are_both_reported(chain, capsys):
    AuditEntry.objects.filter(seq=2).update(reason="nothing to see")
    AuditEntry.objects.filter(seq=4).update(target="council/CH999")
    result = audit.verify()
    assert result.problems == (
        "entry 2: its contents were altered",
        "entry 4: its contents were altered",
    )
    assert result.problem == "entry 2: its contents were altered"
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "entry 2: its contents were altered" in out
    assert "entry 4: its contents were altered" in out


def test_an_anchor_is_signed_kept_and_audited(chain, home, tmp_path, capsys):
    kept = tmp_path / "kept-elsewhere.json"
    assert main(["audit", "anchor", "--out", str(kept)]) == 0
    anchored = json.loads(kept.read_text())
    fifth = AuditEntry.objects.get(seq=5)
    assert (anchored["seq"], anchored["hash"]) == (5, fifth.hash)
    assert {"at", "place", "signature"} <= anchored.keys()
    copies = list((home / "audit-anchors").glob("*.json"))
    assert [json.loads(c.read_text()) for c in copies] == [anchored]
    anchoring = AuditEntry.objects.get(seq=6)
    assert (anchoring.action, anchoring.target) == ("audit.anchor", "entry 5")
    capsys.readouterr()
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert "6 entries" in out and "entry 5" in out


def test_a_log_cut_back_to_before_an_anchor_is_caught_by_it(chain, home, tmp_path, capsys):
    kept = tmp_path / "kept-elsewhere.json"
    assert main(["audit", "anchor", "--out", str(kept)]) == 0
    cut_back_to(3)
    # By the newest anchor in the home:
    result = audit.verify()
    assert result.problems == (
        "the log ends at entry 3, but entry 5 was anchored after it: "
        "the newest entries were removed",
    )
    # The attacker removes the home's anchors too: the chain alone now looks whole ...
    shutil.rmtree(home / "audit-anchors")
    assert audit.verify().ok
    # ... but not to the copy kept elsewhere.
    capsys.readouterr()
    assert main(["audit", "verify", "--anchor", str(kept)]) == 1
    assert "entry 5 was anchored after it" in capsys.readouterr().out


def test_cutting_back_to_the_anchored_entry_itself_is_caught(chain):
    audit.anchor(by=actors.command_line())
    cut_back_to(5)  # only the record of the anchoring goes
    result = audit.verify()
    assert result.problems == (
        "the log ends at entry 5, the anchored entry, but the anchoring was recorded after it: "
        "the newest entries were removed",
    )


def test_a_log_rewritten_with_the_key_after_an_anchor_is_caught_by_it(chain, tmp_path, capsys):
    kept = tmp_path / "kept-elsewhere.json"
    assert main(["audit", "anchor", "--out", str(kept)]) == 0
    rewrite(4, with_the_key, reason="nothing to see")
    result = audit.verify()
    assert result.problems == (
        "entry 5 is not the entry that was anchored: the log was rewritten after the anchor",
    )
    capsys.readouterr()
    assert main(["audit", "verify", "--anchor", str(kept)]) == 1
    assert "entry 5 is not the entry that was anchored" in capsys.readouterr().out


def test_an_altered_anchor_is_not_trusted(chain, tmp_path, capsys):
    kept = tmp_path / "kept-elsewhere.json"
    assert main(["audit", "anchor", "--out", str(kept)]) == 0
    anchored = json.loads(kept.read_text())
    third = AuditEntry.objects.get(seq=3)
    kept.write_text(json.dumps({**anchored, "seq": 3, "hash": third.hash}))
    cut_back_to(3)
    capsys.readouterr()
    assert main(["audit", "verify", "--anchor", str(kept)]) == 1
    out = capsys.readouterr().out
    assert "not signed with this place's audit key" in out
    assert main(["audit", "verify", "--anchor", str(tmp_path / "no-such.json")]) == 2
    assert "does not exist" in capsys.readouterr().err
