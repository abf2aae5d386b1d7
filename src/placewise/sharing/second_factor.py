"""TOTP second factor: optional for everyone, required for the roles in SECOND_FACTOR_REQUIRED."""

import pyotp
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from placewise.sharing import audit
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


@transaction.atomic
def check(*, user: AbstractBaseUser, code: str) -> bool:
    """Whether the code is right now (allowing one step of clock drift) and not used before.
    Confirms a new authenticator on its first correct code. Every attempt is audited."""
    factor = SecondFactor.objects.select_for_update().filter(user_id=user.pk).first()
    ok = False
    if factor is not None:
        totp = pyotp.TOTP(factor.secret)
        now = timezone.now()
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
    audit.record(
        actor=user.get_username(),
        action="second_factor.check",
        target=user.get_username(),
        allowed=ok,
        reason="" if ok else "wrong, expired or already-used code",
    )
    return ok
