"""Writes for the public portal: two-person output checking of published figures (propose,
sign off, withdraw) and the data strategy. Atomic, with an actor, audited.

A figure's table is worked out by `sharing.publication` (the one path figures leave their
organisation by, with disclosure control and the place's rounding) as the public would see it,
and frozen when it is proposed: the person signing off checks exactly what will appear."""

from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from placewise.indicators.library import Indicator
from placewise.indicators.signals import Signal
from placewise.public import queries
from placewise.public.models import DataStrategy, PublishedFigure
from placewise.public.schedule import one_month_after
from placewise.sharing import audit, publication, writes
from placewise.sharing.access import permission
from placewise.sharing.models import Agreement
from placewise.sharing.permissions import Permission

LIMIT = 4000  # the longest text a person may write in one box


class Refused(Exception):
    """A write the portal refuses, with the reason a person can read."""


def _refuse(by: User, action: str, target: str, reason: str) -> Refused:
    audit.record(
        actor=by.get_username(), action=action, target=target, allowed=False, reason=reason
    )
    return Refused(reason)


def _units(indicator: Indicator) -> str:
    """The unit a figure is in, in words."""
    if indicator.is_proportion:
        return "percentage of children"
    if indicator.method == "rate_per_10000":
        return "children per 10,000 children in the place"
    if indicator.method in ("mean_value", "mean_days_between"):
        return "average"
    return "number"


def _frozen(signal: Signal) -> dict[str, Any]:
    """The series as the public may see it, through `sharing.publication` (a public reader is
    never the organisation that provided the data): what is proposed is what is signed off."""
    shown = publication.series(signal, full=False)
    indicator = signal.indicator

    def limit(value: float | None) -> float | None:
        if value is None:
            return None
        value = max(value, 0.0)
        return min(value, 1.0) if indicator.is_proportion else value

    return {
        "threshold": publication.threshold(),
        "round_to": publication.round_to(),
        "limits_withheld": shown.limits_withheld,
        "percent": indicator.is_proportion,
        "target": indicator.target,
        "months": [
            {
                "period": m.period.isoformat(),
                "numerator": m.numerator,
                "denominator": m.denominator,
                "value": m.value,
                "shown": indicator.shown(m.value) if m.value is not None else "",
                "mean": m.mean,
                "mean_shown": indicator.shown(m.mean) if m.mean is not None else "",
                "lower": limit(m.lower),
                "upper": limit(m.upper),
                "state": m.state,
                "withheld": m.withheld,
            }
            for m in shown.months
        ],
    }


@writes.action
def propose(
    *,
    signal: Signal,
    meaning: str,
    counting: str,
    source: str,
    agreement: Agreement | None,
    next_update: date,
    by: User,
    today: date | None = None,
) -> PublishedFigure:
    """Propose one series for publication; it appears only once a data owner who is not `by`
    signs it off. At most monthly: the next update is at least a month away, and a series
    already published is not proposed again before its own next update."""
    action = "public.figure_proposed"
    target = f"{signal.indicator.key} ({signal.team})"
    today = today or timezone.localdate()
    decision = permission(by, Permission.OUTCOMES_VIEW)
    if not decision.allowed:
        raise _refuse(by, action, target, decision.reason)
    texts = {"meaning": meaning, "how it is counted": counting, "source": source}
    for name, text in texts.items():
        if not text.strip():
            raise _refuse(by, action, target, f"Say {name} in plain English.")
        if len(text) > LIMIT:
            raise _refuse(by, action, target, f"Keep {name} under {LIMIT} characters.")
    if next_update < one_month_after(today):
        raise _refuse(
            by,
            action,
            target,
            "Figures are published at most monthly: the next update must be on or after "
            f"{one_month_after(today):%-d %B %Y}.",
        )
    current = queries.published().filter(indicator=signal.indicator.key, team=signal.team).first()
    if current is not None and current.next_update > today:
        raise _refuse(
            by,
            action,
            target,
            f"This figure is published and its next update is due on "
            f"{current.next_update:%-d %B %Y}: figures are published at most monthly.",
        )
    table = _frozen(signal)
    if all(m["value"] is None for m in table["months"]):
        raise _refuse(
            by,
            action,
            target,
            f"Every month is withheld (fewer than {table['threshold']} children, or worked out "
            "from such a count): there is nothing to publish.",
        )
    earlier = PublishedFigure.objects.filter(indicator=signal.indicator.key, team=signal.team)
    figure = PublishedFigure.objects.create(
        indicator=signal.indicator.key,
        team=signal.team,
        title=signal.indicator.title,
        meaning=meaning.strip(),
        counting=counting.strip(),
        source=source.strip(),
        units=_units(signal.indicator),
        agreement=agreement,
        next_update=next_update,
        revision=max((f.revision for f in earlier), default=0) + 1,
        table=table,
        proposed_by=by,
        proposed_at=timezone.now(),
    )
    audit.record(
        actor=by.get_username(),
        action=action,
        target=str(figure),
        detail={"figure": figure.pk, "months": len(table["months"])},
    )
    return figure


@writes.action
def sign_off(*, figure: PublishedFigure, by: User, now: datetime | None = None) -> PublishedFigure:
    """The second person's check: a data owner who did not propose it publishes it. An earlier
    revision of the same series stops being shown (its downloads with it)."""
    action = "public.figure_signed_off"
    figure = PublishedFigure.objects.select_for_update().get(pk=figure.pk)
    if figure.status != PublishedFigure.Status.PROPOSED:
        raise _refuse(
            by, action, str(figure), f"This figure is {figure.get_status_display().lower()}."
        )
    if figure.proposed_by_id == by.pk:
        raise _refuse(
            by,
            action,
            str(figure),
            "You proposed this figure: a second person, a data owner, must check and sign it off.",
        )
    if not queries.is_data_owner(by):
        raise _refuse(
            by, action, str(figure), "Only a data owner can sign off a figure for publication."
        )
    now = now or timezone.now()
    replaced = queries.published().filter(indicator=figure.indicator, team=figure.team)
    for old in replaced:
        old.status = PublishedFigure.Status.WITHDRAWN
        old.withdrawn_by, old.withdrawn_at = by, now
        old.withdrawn_reason = f"Replaced by revision {figure.revision}."
        old.save()
    figure.status = PublishedFigure.Status.PUBLISHED
    figure.signed_off_by, figure.signed_off_at = by, now
    figure.save()
    audit.record(
        actor=by.get_username(),
        action=action,
        target=str(figure),
        detail={"figure": figure.pk, "proposed_by": figure.proposed_by.get_username()},
    )
    return figure


@writes.action
def withdraw(*, figure: PublishedFigure, reason: str, by: User) -> PublishedFigure:
    """Take a figure down (or refuse a proposal): its page and downloads go with it."""
    action = "public.figure_withdrawn"
    figure = PublishedFigure.objects.select_for_update().get(pk=figure.pk)
    if not queries.is_data_owner(by):
        raise _refuse(by, action, str(figure), "Only a data owner can withdraw a figure.")
    if figure.status == PublishedFigure.Status.WITHDRAWN:
        raise _refuse(by, action, str(figure), "This figure is already withdrawn.")
    if not reason.strip():
        raise _refuse(by, action, str(figure), "Say why the figure is withdrawn.")
    if len(reason) > LIMIT:
        raise _refuse(by, action, str(figure), f"Keep the reason under {LIMIT} characters.")
    figure.status = PublishedFigure.Status.WITHDRAWN
    figure.withdrawn_by, figure.withdrawn_at = by, timezone.now()
    figure.withdrawn_reason = reason.strip()
    figure.save()
    audit.record(
        actor=by.get_username(),
        action=action,
        target=str(figure),
        detail={"figure": figure.pk, "reason": figure.withdrawn_reason},
    )
    return figure


@writes.action
def edit_strategy(*, ambition: str, vision: str, purposes: str, by: User) -> DataStrategy:
    """A new version of the place's data strategy, written by a data owner."""
    action = "public.strategy_edited"
    if not queries.is_data_owner(by):
        raise _refuse(by, action, "data strategy", "Only a data owner can edit the data strategy.")
    for name, text in (("ambition", ambition), ("vision", vision), ("purposes", purposes)):
        if not text.strip():
            raise _refuse(by, action, "data strategy", f"Write the strategy's {name}.")
        if len(text) > LIMIT:
            raise _refuse(by, action, "data strategy", f"Keep the {name} under {LIMIT} characters.")
    strategy = DataStrategy.objects.create(
        ambition=ambition.strip(),
        vision=vision.strip(),
        purposes=purposes.strip(),
        edited_by=by,
        edited_at=timezone.now(),
    )
    audit.record(actor=by.get_username(), action=action, target="data strategy")
    return strategy
