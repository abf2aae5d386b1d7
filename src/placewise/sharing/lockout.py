"""Locking out repeated wrong passwords and second-factor codes.

Failures are rows in the operational database, not counters in a cache: a production server runs
several workers, each with its own memory, and restarts; every one of them must see the same count.
Callers hold a lock on the person's row while they count, check and record, so a burst of
parallel guesses cannot all read the count before any of them is recorded.
"""

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from placewise.sharing.models.second_factor import FailedSignIn

WINDOW = timedelta(minutes=15)
PERSON_LIMIT = 5
# One council office or hospital network can put hundreds of people behind one address, so an
# address may fail more often than a person before everyone behind it is held up.
ADDRESS_LIMIT = 20

Kind = FailedSignIn.Kind


@dataclass(frozen=True)
class Lock:
    """Why attempts are refused, and until when."""

    until: datetime
    on_address: bool  # the address is locked (shared with others), not only the person

    @property
    def until_text(self) -> str:
        """Local time, rounded up to the minute so that trying at that minute works."""
        until = timezone.localtime(self.until)
        if until.second or until.microsecond:
            until = until.replace(second=0, microsecond=0) + timedelta(minutes=1)
        return until.strftime("%H:%M")


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(meta: Mapping[str, Any]) -> str:
    """The address a request came from, as the lock-outs count it.

    Behind a reverse proxy every request comes from the proxy (REMOTE_ADDR), so the per-address
    limit would count everyone together and one person's failures would lock everyone out. A
    proxy named in PLACEWISE_TRUSTED_PROXIES appends the address it was connected from to
    X-Forwarded-For; read from the right, the first address that is not one of those proxies is
    the client's. Everything to its left the client wrote itself, and a request that did not
    come from a trusted proxy wrote the whole header: neither is believed, or anyone could send
    each guess from a new address of their choosing.
    """
    peer = str(meta.get("REMOTE_ADDR") or "")
    proxies = settings.PLACEWISE_TRUSTED_PROXIES

    def trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(address in network for network in proxies)

    found = _address(peer)
    if found is None or not trusted(found):
        return peer
    for hop in reversed(str(meta.get("HTTP_X_FORWARDED_FOR") or "").split(",")):
        named = _address(hop)
        if named is None:
            break  # not an address: the last one a trusted proxy vouched for stands
        found = named
        if not trusted(found):
            break
    return str(found)


def _fitted(username: str, address: str) -> tuple[str, str]:
    # A typed username can be longer than any real one; cut it as it is stored, so the count
    # still finds it.
    return username[: FailedSignIn.USERNAME_LENGTH], address[: FailedSignIn.ADDRESS_LENGTH]


def _unlocks_at(failures: "QuerySet[FailedSignIn]", limit: int) -> datetime | None:
    # Locked while `limit` or more failures are inside the window; it lifts when the oldest of
    # the newest `limit` leaves it.
    nth = failures.order_by("-at").values_list("at", flat=True)[limit - 1 : limit].first()
    return nth + WINDOW if nth is not None else None


def lock_for(*, kind: str, username: str, address: str, now: datetime) -> Lock | None:
    """The lock on this person or address now, if there is one."""
    username, address = _fitted(username, address)
    recent = FailedSignIn.objects.filter(kind=kind, at__gt=now - WINDOW)
    person = _unlocks_at(recent.filter(username=username), PERSON_LIMIT) if username else None
    place = _unlocks_at(recent.filter(address=address), ADDRESS_LIMIT) if address else None
    locks = [Lock(until=person, on_address=False)] if person is not None else []
    locks += [Lock(until=place, on_address=True)] if place is not None else []
    return max(locks, key=lambda lock: lock.until, default=None)


def record_failure(*, kind: str, username: str, address: str, now: datetime) -> None:
    """Count one wrong password or code, and forget failures too old to count."""
    username, address = _fitted(username, address)
    FailedSignIn.objects.filter(at__lte=now - WINDOW).delete()
    FailedSignIn.objects.create(kind=kind, username=username, address=address, at=now)


def forgive(*, kind: str, username: str) -> None:
    """After a success the person starts afresh; their address's count stands, so nobody can
    clear an address's failures by signing in to their own account."""
    FailedSignIn.objects.filter(kind=kind, username=username).delete()
