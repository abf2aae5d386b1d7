"""Writes about indicators: recording a step change, exporting the figures. Atomic, with an
actor, audited."""

from datetime import date
from pathlib import Path

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from placewise.indicators import export as indicator_export
from placewise.outcomes.models import StepChange
from placewise.sharing import audit, versions, writes
from placewise.sharing.models import Version


class StepError(Exception):
    """A step change that cannot be recorded, with the reason."""


@writes.action
def record_step(*, indicator: str, team: str, period: date, reason: str, by: User) -> StepChange:
    """From this month the process is a new one: limits are re-based there."""
    if not reason.strip():
        raise StepError("Say what changed in the process that month.")
    try:
        with transaction.atomic():
            step = StepChange.objects.create(
                indicator=indicator,
                team=team,
                period=period.replace(day=1),
                reason=reason.strip(),
                recorded_by=by.get_username(),
            )
            versions.bump(Version.Of.DATA, reason=f"step change in {indicator}")
    except IntegrityError:
        raise StepError(f"A step change is already recorded from {period:%B %Y}.") from None
    audit.record(
        actor=by.get_username(),
        action="indicator.step",
        target=f"{indicator} ({team})",
        detail={"period": period.isoformat(), "reason": step.reason},
    )
    return step


@writes.action
def export(*, out: Path, audience: str, by: User, only: set[str] | None = None) -> int:
    """Write every indicator's figures for this audience to a file (`only`: just these), and
    record who did and what was written: the file leaves the app, so the log must say so."""
    rows = indicator_export.write(out, audience=audience, only=only)
    audit.record(
        actor=by.get_username(),
        action="indicators.export",
        target=str(out),
        detail={"rows": rows, "audience": audience}
        | ({"indicators": sorted(only)} if only is not None else {}),
    )
    return rows
