"""The one policy function: every person-level read asks it, and every answer is audited.

A read is allowed when the reader's own organisation provided the data, or when an agreement in
force today shares that source with the reader's organisation at person level, for the purpose the
reader gave. Fields and kinds of event outside the agreement are filtered out, not hidden.
"""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from placewise.sharing import audit
from placewise.sharing.access import memberships
from placewise.sharing.access import permission as role_permission
from placewise.sharing.models import Agreement, Organisation, SharedDataset
from placewise.sharing.permissions import Permission
from placewise.store.queries import RECORD_COLUMNS

# Record fields the analytic store holds for a person (never identifiers).
RECORD_FIELDS = RECORD_COLUMNS


@dataclass(frozen=True)
class Access:
    """The policy's answer as facts: code branches on these, never on `reason`, which is for
    people."""

    allowed: bool
    reason: str
    kinds: frozenset[str] | None = None  # None: every kind (the provider's own data)
    fields: frozenset[str] = field(default_factory=frozenset)
    agreements: tuple[str, ...] = ()  # the titles of the agreements that allow it
    own: bool = False  # the reader's own organisation provided the data
    provider: str = ""  # the organisation that provided it, when the source is known


def provider_of(source: str) -> Organisation | None:
    """The organisation registered as this source's provider (sources/ownership.py registers
    them). Asked through the organisation's `sources`, so that sharing, below sources in the
    layers, imports nothing from them (tests/unit/test_layers.py)."""
    return Organisation.objects.filter(sources__name=source).first()


def decide(
    user: AbstractBaseUser | AnonymousUser,
    *,
    source: str,
    purpose: str,
    subject: str,
    today: date | None = None,
) -> Access:
    """May this user see this person's records from this source, for this purpose? Audited."""
    access = _access(user, source=source, purpose=purpose, today=today or timezone.localdate())
    audit.record(
        actor=user.get_username() if user.is_authenticated else "anonymous",
        action="person.read",
        target=f"{source}/{subject}",
        allowed=access.allowed,
        reason=access.reason,
        detail={
            "purpose": purpose,
            "source": source,
            "kinds": sorted(access.kinds) if access.kinds is not None else "all",
            "fields": sorted(access.fields),
            "agreements": list(access.agreements),
            "own": access.own,
        },
    )
    return access


def _access(
    user: AbstractBaseUser | AnonymousUser, *, source: str, purpose: str, today: date
) -> Access:
    permission = role_permission(user, Permission.PERSON_VIEW)
    if not permission.allowed:
        return Access(False, permission.reason)
    if purpose not in Agreement.Purpose.values:
        return Access(False, "Say why you need to see this person's records.")
    provider = provider_of(source)
    if provider is None:
        return Access(False, f"There is no data from a source called '{source}'.")
    mine = permission.organisations
    if provider in mine:
        return Access(
            True,
            f"{provider.name} provided this data.",
            None,
            frozenset(RECORD_FIELDS),
            own=True,
            provider=provider.name,
        )
    shared = [
        d
        for d in SharedDataset.objects.filter(
            source=source,
            recipient__in=mine,
            level=SharedDataset.Level.PERSON,
            agreement__purpose_category=purpose,
        ).select_related("agreement")
        if d.agreement.in_force(today)
    ]
    names = ", ".join(o.name for o in mine)
    label = Agreement.Purpose(purpose).label.lower()
    if not shared:
        lapsed = (
            SharedDataset.objects.filter(source=source, recipient__in=mine)
            .exclude(agreement__status=Agreement.Status.DRAFT)
            .select_related("agreement")
            .first()
        )
        if lapsed is not None and not lapsed.agreement.in_force(today):
            return Access(
                False,
                provider=provider.name,
                reason=f"The agreement '{lapsed.agreement.title}' that shared "
                f"{provider.name}'s data with {names} is not in force "
                f"({lapsed.agreement.get_status_display().lower()}"
                f"{f', ended {lapsed.agreement.ends_on:%d %B %Y}' if lapsed.agreement.ends_on and lapsed.agreement.ends_on < today else ''}).",
            )
        return Access(
            False,
            f"No agreement in force shares person-level data from "
            f"{provider.name} with {names} for {label}.",
            provider=provider.name,
        )
    kinds = frozenset(k for d in shared for k in d.event_kinds)
    fields = frozenset(f for d in shared for f in d.fields if f in RECORD_FIELDS)
    titles = tuple(sorted({d.agreement.title for d in shared}))
    return Access(
        True,
        f"Shared with {names} under {', '.join(titles)}.",
        kinds,
        fields,
        titles,
        provider=provider.name,
    )


@dataclass(frozen=True)
class AggregateAccess:
    """Why a viewer may see a source's figures in aggregate."""

    own: bool  # their own organisation provided it: nothing is withheld from them
    reason: str  # for people


def aggregate_sources(
    user: AbstractBaseUser | AnonymousUser, *, today: date | None = None
) -> dict[str, AggregateAccess]:
    """The sources whose figures this user may see in aggregate (after disclosure control), with
    why: their own organisation's, and those an agreement in force shares with it at any level."""
    today = today or timezone.localdate()
    if not user.is_authenticated:
        return {}
    mine = {m.organisation for m in memberships(user)}
    allowed: dict[str, AggregateAccess] = {}
    # Every registered source with its provider: a source with nothing loaded yet has no figures,
    # so allowing it shows nothing.
    registered = Organisation.objects.filter(sources__isnull=False).values_list(
        "sources__name", "pk", "name"
    )
    for source, provider_pk, provider_name in registered:
        if provider_pk in {o.pk for o in mine}:
            allowed[source] = AggregateAccess(True, f"{provider_name} provided this data.")
            continue
        for shared in SharedDataset.objects.filter(
            source=source, recipient__in=mine
        ).select_related("agreement"):
            if shared.agreement.in_force(today):
                allowed[source] = AggregateAccess(False, f"Shared under {shared.agreement.title}.")
                break
    return allowed
