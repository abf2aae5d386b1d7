"""Writes to organisations, people and agreements: atomic, with an actor, audited."""

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, User
from django.utils import timezone

from placewise.sharing import audit, versions, writes
from placewise.sharing.models import (
    Agreement,
    Membership,
    OptOut,
    Organisation,
    Party,
    SharedDataset,
    Version,
)
from placewise.sharing.permissions import Role
from placewise.store import forget


class AgreementError(Exception):
    """A lifecycle step that is not allowed, with the reason."""


@writes.action
def ensure_organisation(*, name: str, kind: str, by: User) -> Organisation:
    """The organisation, created if new, with its kind kept up to date."""
    organisation, created = Organisation.objects.get_or_create(name=name, defaults={"kind": kind})
    if not created and organisation.kind != kind:
        organisation.kind = kind
        organisation.save(update_fields=["kind"])
    if created or organisation.kind != kind:
        audit.record(
            actor=by.get_username(), action="organisation.save", target=name, detail={"kind": kind}
        )
    return organisation


@writes.action
def ensure_person(
    *,
    username: str,
    password: str,
    full_name: str,
    roles: list[tuple[Organisation, Role]],
    by: User,
) -> AbstractBaseUser:
    """A user with exactly these roles; the password is (re)set."""
    user_model = get_user_model()
    first, _, last = full_name.partition(" ")
    user, _ = user_model.objects.get_or_create(username=username)
    user.first_name, user.last_name = first, last
    user.set_password(password)
    user.save()
    Membership.objects.filter(user=user).delete()
    Membership.objects.bulk_create(
        [Membership(user=user, organisation=o, role=r.value) for o, r in roles]
    )
    versions.bump(Version.Of.ACCESS, reason=f"roles of {username}")
    audit.record(
        actor=by.get_username(),
        action="person.roles",
        target=username,
        detail={"roles": [f"{r.value}@{o.name}" for o, r in roles]},
    )
    return user


@writes.action
def draft_agreement(
    *,
    title: str,
    purpose: str,
    purpose_category: str,
    article6: str,
    article9: str,
    statutes: str,
    review_date: date,
    retention_days: int,
    parties: list[tuple[Organisation, AbstractBaseUser]],
    datasets: list[dict[str, Any]],
    by: User,
    ends_on: date | None = None,
) -> Agreement:
    """A new agreement in draft: parties with their named data owners, and what each shares."""
    agreement = Agreement.objects.create(
        title=title,
        purpose=purpose,
        purpose_category=purpose_category,
        article6=article6,
        article9=article9,
        statutes=statutes,
        review_date=review_date,
        retention_days=retention_days,
        ends_on=ends_on,
    )
    for organisation, owner in parties:
        Party.objects.create(agreement=agreement, organisation=organisation, data_owner_id=owner.pk)
    party_orgs = {o.pk for o, _ in parties}
    for dataset in datasets:
        if {dataset["provider"].pk, dataset["recipient"].pk} - party_orgs:
            raise AgreementError("a dataset can only be shared between parties to the agreement")
        SharedDataset.objects.create(agreement=agreement, **dataset)
    audit.record(
        actor=by.get_username(),
        action="agreement.draft",
        target=title,
        detail={"parties": [o.name for o, _ in parties], "datasets": len(datasets)},
    )
    return agreement


@writes.action
def add_dataset(
    *,
    agreement: Agreement,
    source: str,
    provider: Organisation,
    recipient: Organisation,
    level: str,
    event_kinds: list[str],
    fields: list[str],
    by: User,
) -> SharedDataset:
    """One more thing shared under a draft no party has approved yet: an approval is of what the
    agreement said when it was given."""
    if agreement.status != Agreement.Status.DRAFT:
        raise AgreementError(
            f"the agreement is {agreement.get_status_display().lower()}, not a draft"
        )
    approved = [p.organisation.name for p in agreement.parties.filter(approved_at__isnull=False)]
    if approved:
        raise AgreementError(
            f"{' and '.join(approved)} approved the agreement as it stands: draft a new one to "
            "share more"
        )
    parties = set(agreement.parties.values_list("organisation_id", flat=True))
    if {provider.pk, recipient.pk} - parties or provider.pk == recipient.pk:
        raise AgreementError("a dataset is shared from one party to another party")
    dataset = SharedDataset.objects.create(
        agreement=agreement,
        source=source,
        provider=provider,
        recipient=recipient,
        level=level,
        event_kinds=event_kinds,
        fields=fields,
    )
    audit.record(
        actor=by.get_username(),
        action="agreement.dataset",
        target=agreement.title,
        detail={"source": source, "recipient": recipient.name, "level": level},
    )
    return dataset


@writes.action
def approve(*, agreement: Agreement, organisation: Organisation, by: User) -> Agreement:
    """A party's named data owner approves; the agreement is active once every party has."""
    party = Party.objects.select_for_update().get(agreement=agreement, organisation=organisation)
    if party.data_owner_id != by.pk:
        raise AgreementError(f"only {organisation.name}'s named data owner can approve for it")
    if agreement.status not in {Agreement.Status.DRAFT}:
        raise AgreementError(
            f"the agreement is {agreement.get_status_display().lower()}, not a draft"
        )
    party.approved_at = timezone.now()
    party.save(update_fields=["approved_at"])
    if not agreement.parties.filter(approved_at__isnull=True).exists():
        agreement.status = Agreement.Status.ACTIVE
        agreement.save(update_fields=["status"])
    versions.bump(Version.Of.ACCESS, reason=f"agreement {agreement.pk} approved")
    audit.record(
        actor=by.get_username(),
        action="agreement.approve",
        target=agreement.title,
        detail={"organisation": organisation.name, "status": agreement.status},
    )
    return agreement


@writes.action
def set_status(*, agreement: Agreement, status: str, reason: str, by: User) -> Agreement:
    """Suspend, expire or reinstate an agreement; access follows on the next request."""
    if status not in {
        Agreement.Status.SUSPENDED,
        Agreement.Status.EXPIRED,
        Agreement.Status.ACTIVE,
    }:
        raise AgreementError(f"'{status}' is not a status an agreement can be moved to")
    if (
        status == Agreement.Status.ACTIVE
        and agreement.parties.filter(approved_at__isnull=True).exists()
    ):
        raise AgreementError("every party's data owner must approve before it is active")
    agreement.status = status
    agreement.save(update_fields=["status"])
    versions.bump(Version.Of.ACCESS, reason=f"agreement {agreement.pk} {status}")
    audit.record(
        actor=by.get_username(), action=f"agreement.{status}", target=agreement.title, reason=reason
    )
    return agreement


@writes.action
def expire_due(*, today: date, by: User) -> list[Agreement]:
    """Mark agreements past their end date as expired (access already stopped by date)."""
    due = [a for a in Agreement.objects.filter(status=Agreement.Status.ACTIVE, ends_on__lt=today)]
    return [
        set_status(
            agreement=a,
            status=Agreement.Status.EXPIRED,
            reason=f"ended {a.ends_on:%d %B %Y}",
            by=by,
        )
        for a in due
    ]


@writes.action
def register_opt_out(*, source: str, token: str, by: User) -> OptOut:
    """Put a person's record on the opt-out register, which holds it back from later loads, with
    its removal from the stores still to do (`removed_at` empty). Committed before the stores
    are touched: the opt-out's commit point (sharing/opt_outs.py). Only the token is kept, and
    the audit names only its start."""
    entry, created = OptOut.objects.get_or_create(
        source=source, token=token, defaults={"added_by": by.get_username()}
    )
    OptOut.objects.filter(pk=entry.pk).update(removed_at=None)
    entry.refresh_from_db()
    audit.record(
        actor=by.get_username(),
        action="optout.add",
        target=f"{source}/{token[:12]}",
        detail={"already_on_the_register": not created},
    )
    return entry


@writes.action
def remove_opted_out(*, entry: OptOut, by: User, interrupted: bool = False) -> OptOut:
    """Take out of both stores what loads kept of a registered record, with its links and review
    pairs (store/forget.py), and mark the entry removed. Call holding the load lock. Nothing is
    done twice: an entry already marked removed is returned as it is. `interrupted`: recovery is
    finishing the removal of a process that died after the register entry committed."""
    entry = OptOut.objects.select_for_update().get(pk=entry.pk)
    if entry.removed_at is not None:
        return entry
    removed = forget.forget_locked(source=entry.source, token=entry.token)
    OptOut.objects.filter(pk=entry.pk).update(removed_at=timezone.now())
    entry.refresh_from_db()
    if removed.total:
        versions.bump(Version.Of.DATA, reason=f"opt-out from {entry.source}")
    audit.record(
        actor=by.get_username(),
        action="optout.remove",
        target=f"{entry.source}/{entry.token[:12]}",
        # What this removal took out: a removal that died after its stores' commit point had
        # taken out the rest, and recovery's finds nothing more.
        reason="the process recording the opt-out stopped before it finished; recovery finished it"
        if interrupted
        else "",
        detail={"rows_removed": removed.rows},
    )
    return entry
