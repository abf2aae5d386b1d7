"""TOTP second factor: optional for everyone, required for the roles in SECOND_FACTOR_REQUIRED."""

from dataclasses import dataclass

import pyotp
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from placewise.sharing import audit, lockout
from placewise.sharing.models import Membership, SecondFactor
from placewise.sharing.permissions import SECOND_FACTOR_REQUIRED, Role

SESSION_KEY = "second_factor_ok"
ISSUER = "placewise"


def required_for(user: AbstractBaseUser) -> bool:
    roles = Membership.objects.filter(user_id=user.pk).values_list("role", flat=True)
    return any(Role(r) in SECOND_FACTOR_REQUIRED for r in roles)


def confirmed(user: AbstractBaseUser) -> SecondFactor | None:
    return SecondFactor.objects.filter(user_id=user.pk, confirmed_at__isnull=False).first()


@transaction.atomic
def start_setup(*, user: AbstractBaseUser) -> SecondFactor:
    """A new, unconfirmed secret (or the one already waiting to be confirmed)."""
    factor, created = SecondFactor.objects.get_or_create(
        user_id=user.pk, defaults={"secret": pyotp.random_base32()}
    )
    if created:
        audit.record(
            actor=user.get_username(),
            action="second_factor.setup_started",
            target=user.get_username(),
        )
    return factor


def provisioning_uri(factor: SecondFactor, username: str) -> str:
    return pyotp.TOTP(factor.secret).provisioning_uri(name=username, issuer_name=ISSUER)


@dataclass(frozen=True)
class Check:
    """The outcome of one code: accepted, or refused and (when locked out) why."""

    ok: bool
    refusal: str = ""  # set when the code was not even looked at


def _refusal(lock: lockout.Lock) -> str:
    if lock.on_address:
        return (
            "Too many wrong codes have been entered from this network, which other people may "
            f"share. For everyone's safety no codes from here are checked until {lock.until_text}."
            " Try again then, or ask your placewise administrator for help."
        )
    return (
        "Too many wrong codes have been entered for your account. For your safety no codes are "
        f"checked until {lock.until_text}. Try again then, or ask your placewise administrator "
        "for help. If you did not enter these codes, tell them now: someone may know your "
        "password."
    )


@transaction.atomic
def check(*, user: AbstractBaseUser, code: str, address: str) -> Check:
    """Whether the code is right now (allowing one step of clock drift) and not used before.
    Confirms a new authenticator on its first correct code. After too many wrong codes for the
    person or from the address (REMOTE_ADDR) no code is checked, not even the right one, until
    the lock lifts. Every attempt is audited."""
    # The row lock makes a person's guesses take turns, so the count below cannot be outrun.
    factor = SecondFactor.objects.select_for_update().filter(user_id=user.pk).first()
    username, now = user.get_username(), timezone.now()
    lock = lockout.lock_for(kind=lockout.Kind.CODE, username=username, address=address, now=now)
    ok, reason = False, "wrong, expired or already-used code"
    if lock is not None:
        where = "this address" if lock.on_address else "this person"
        reason = f"locked: too many wrong codes for {where} until {lock.until.isoformat()}"
    elif factor is not None:
        totp = pyotp.TOTP(factor.secret)
        code = "".join(ch for ch in code if ch.isdigit())
        for drift in (-1, 0, 1):
            step = int(now.timestamp()) // totp.interval + drift
            if step > factor.last_used_step and totp.at(step * totp.interval) == code:
                factor.last_used_step = step
                if factor.confirmed_at is None:
                    factor.confirmed_at = now
                factor.save(update_fields=["last_used_step", "confirmed_at"])
                ok = True
                break
        if ok:
            lockout.forgive(kind=lockout.Kind.CODE, username=username)
        else:
            lockout.record_failure(
                kind=lockout.Kind.CODE, username=username, address=address, now=now
            )
    audit.record(
        actor=username,
        action="second_factor.check",
        target=username,
        allowed=ok,
        reason="" if ok else reason,
        detail={"address": address},
    )
    return Check(ok=ok, refusal=_refusal(lock) if lock is not None else "")
