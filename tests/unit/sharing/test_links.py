"""One signed, expiring, once-used link (sharing.links), on the real rows that carry one: an
invitation to join (governance) and a 360 rater (surveys). Every case is worked by hand: the
token is `<id>.<secret>` signed under the purpose's salt, the row keeps the secret's SHA-256."""

import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import signing
from django.db import transaction

from placewise.governance.models import Invitation
from placewise.sharing import links
from placewise.sharing.links import Purpose, Refusal
from placewise.sharing.permissions import Role
from placewise.surveys import actions as surveys
from placewise.surveys.models import Rater

pytestmark = pytest.mark.django_db
# 12:00 on 1 June 2026 UTC, 13:00 in London (BST): the day is 1 June either way.
NOON = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _invitation(people, days=7):
    return links.issue(
        Purpose.INVITATION,
        Invitation.objects,
        days=days,
        now=NOON,
        full_name="Erin Evans",
        username="erin",
        organisation=people["orgs"]["health"],
        role=Role.ANALYST.value,
    )


def _invitations():
    return Invitation.objects.all()


def test_a_link_made_for_a_purpose_is_good_for_it_and_keeps_only_the_hash(people):
    issued = _invitation(people)
    payload, _, _ = issued.token.rpartition(":")
    pk, _, secret = payload.partition(".")
    assert pk == str(issued.row.pk)
    row = Invitation.objects.get(pk=issued.row.pk)
    assert row.nonce_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(Invitation.objects.values().get(pk=row.pk))
    # 7 days from 12:00 on 1 June: 12:00 on 8 June.
    assert row.expires_at == datetime(2026, 6, 8, 12, 0, tzinfo=UTC)
    checked = links.check(issued.token, Purpose.INVITATION, _invitations(), now=NOON)
    assert (checked.ok, checked.reason, checked.row) == (True, "", row)


def test_a_link_signed_as_the_first_invitations_were_still_works(people):
    """Links already sent before the one module keep working: the same salt and payload."""
    row = _invitation(people).row
    Invitation.objects.filter(pk=row.pk).update(
        nonce_hash=hashlib.sha256(b"an-old-secret").hexdigest()
    )
    old = signing.Signer(salt="placewise.governance.invitation").sign(f"{row.pk}.an-old-secret")
    assert links.check(old, Purpose.INVITATION, _invitations(), now=NOON).ok


def test_an_altered_or_cut_short_link_is_not_valid(people):
    token = _invitation(people).token
    payload, _, signature = token.rpartition(":")
    pk, _, secret = payload.partition(".")
    changed = "A" if secret[0] != "A" else "B"
    for altered in (
        f"{pk}.{changed}{secret[1:]}:{signature}",  # the secret changed
        f"{int(pk) + 1}.{secret}:{signature}",  # another row's id
        token[:-3],  # cut short when copied
        "set-password",
    ):
        checked = links.check(altered, Purpose.INVITATION, _invitations(), now=NOON)
        assert (checked.refusal, checked.row) == (Refusal.NOT_VALID, None), altered
        assert checked.reason == "This link is not valid."


def test_a_well_signed_link_whose_secret_or_row_is_gone_is_withdrawn(people):
    issued = _invitation(people)
    # Signed properly (as only someone with the secret key could) but with a guessed secret.
    guessed = signing.Signer(salt=Purpose.INVITATION.value).sign(f"{issued.row.pk}.guessed")
    checked = links.check(guessed, Purpose.INVITATION, _invitations(), now=NOON)
    assert (checked.refusal, checked.row) == (Refusal.WITHDRAWN, None)
    Invitation.objects.filter(pk=issued.row.pk).delete()
    checked = links.check(issued.token, Purpose.INVITATION, _invitations(), now=NOON)
    assert (checked.refusal, checked.reason) == (Refusal.WITHDRAWN, "This link has been withdrawn.")


def test_a_link_expires_at_the_moment_it_was_given_until(people):
    issued = _invitation(people, days=3)  # until 12:00 on 4 June
    just_before = datetime(2026, 6, 4, 11, 59, 59, tzinfo=UTC)
    assert links.check(issued.token, Purpose.INVITATION, _invitations(), now=just_before).ok
    for later in (datetime(2026, 6, 4, 12, 0, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC)):
        checked = links.check(issued.token, Purpose.INVITATION, _invitations(), now=later)
        assert checked.refusal is Refusal.EXPIRED
        assert checked.reason == "This link has expired."
        assert checked.row is not None and checked.row.pk == issued.row.pk  # to say when
    # Nor can it be used once expired, even by a page opened before.
    with transaction.atomic():
        late = links.use(issued.row, now=datetime(2026, 6, 4, 12, 0, tzinfo=UTC))
    assert late.refusal is Refusal.EXPIRED
    assert Invitation.objects.get(pk=issued.row.pk).used_at is None


def test_a_link_is_used_once(people):
    issued = _invitation(people)
    opened = links.check(issued.token, Purpose.INVITATION, _invitations(), now=NOON)
    assert opened.row is not None
    at = NOON + timedelta(minutes=5)
    with transaction.atomic():
        used = links.use(opened.row, now=at)
    assert used.ok and Invitation.objects.get(pk=issued.row.pk).used_at == at
    again = links.check(issued.token, Purpose.INVITATION, _invitations(), now=at)
    assert (again.refusal, again.reason) == (Refusal.USED, "This link has already been used.")
    assert again.row is not None and again.row.used_at == at  # to say when
    # A second tab that checked the link before the first used it is refused when it submits.
    with transaction.atomic():
        second = links.use(opened.row, now=at + timedelta(seconds=1))
    assert (second.refusal, second.reason) == (Refusal.JUST_USED, "This link has just been used.")
    assert Invitation.objects.get(pk=issued.row.pk).used_at == at


def test_a_refusal_after_use_in_the_same_write_leaves_the_link_unused(people):
    issued = _invitation(people)
    with pytest.raises(ValueError, match="the caller refused"), transaction.atomic():
        assert links.use(issued.row, now=NOON).ok
        raise ValueError("the caller refused")
    assert links.check(issued.token, Purpose.INVITATION, _invitations(), now=NOON).ok


def test_a_rater_link_is_refused_as_an_invitation_and_used_on_its_day(people):
    alice = people["alice"]
    round_ = surveys.start_round(by=alice, today=date(2026, 6, 1))
    rater = links.issue(
        Purpose.RATER, Rater.objects, days=14, now=NOON, round=round_, group="peer", name="P"
    )
    _invitation(people)  # an invitation exists to be mistaken for
    as_invitation = links.check(rater.token, Purpose.INVITATION, _invitations(), now=NOON)
    assert (as_invitation.refusal, as_invitation.row) == (Refusal.NOT_VALID, None)
    # Nor is an invitation a rater's link, or a place survey's.
    invitation = Invitation.objects.get()
    for purpose in (Purpose.RATER, Purpose.PLACE_SURVEY):
        token = signing.Signer(salt=Purpose.INVITATION.value).sign(f"{invitation.pk}.x")
        assert links.check(token, purpose, Rater.objects.all(), now=NOON).refusal is (
            Refusal.NOT_VALID
        )
    checked = links.check(rater.token, Purpose.RATER, Rater.objects.all(), now=NOON)
    assert checked.ok and checked.row is not None
    # A rater's link records the day it was used: 23:30 UTC on 1 June is 00:30 on 2 June in
    # London (BST), the day the rater answered there.
    with transaction.atomic():
        assert links.use(checked.row, now=datetime(2026, 6, 1, 23, 30, tzinfo=UTC)).ok
    assert Rater.objects.get(pk=rater.row.pk).answered_on == date(2026, 6, 2)
    assert links.check(rater.token, Purpose.RATER, Rater.objects.all(), now=NOON).refusal is (
        Refusal.USED
    )
