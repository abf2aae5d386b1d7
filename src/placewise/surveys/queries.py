"""Reads of the leadership surveys: a person's 360 rounds, the current questionnaires, whether a
rater's link may be used, a team's culture scans. What may be shown of them is decided in
surveys/visibility.py; the numbers in surveys/report.py and surveys/culture.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.utils import timezone

from placewise.sharing import links
from placewise.sharing.models import Membership, Organisation
from placewise.surveys.models import Questionnaire, Rater, Round, Scan


@dataclass(frozen=True)
class RoundSummary:
    """One of a person's 360 rounds, as their own page lists it (no scores: those are in the
    report, which only the person and those they share it with may open)."""

    round: Round
    started_on: date
    closed_on: date | None
    invited: int
    answered: int
    self_assessed: bool
    url: str


def rounds_of(person: AbstractBaseUser) -> list[RoundSummary]:
    """The person's own 360 rounds, newest first (for their My leadership page). Ask
    `surveys.visibility.round_sight` before showing another person's."""
    from django.urls import reverse

    found = Round.objects.filter(person_id=person.pk).prefetch_related("raters")
    return [
        RoundSummary(
            round=r,
            started_on=r.started_on,
            closed_on=r.closed_on,
            invited=len(r.raters.all()),
            answered=sum(1 for rater in r.raters.all() if rater.answered_on),
            self_assessed=r.self_answered_at is not None,
            url=reverse("surveys:round", args=[r.pk]),
        )
        for r in found
    ]


def previous_round(round_: Round) -> Round | None:
    """The person's last closed round before this one, for change since then."""
    return (
        Round.objects.filter(person_id=round_.person_id, closed_on__isnull=False)
        .filter(
            Q(started_on__lt=round_.started_on) | Q(started_on=round_.started_on, pk__lt=round_.pk)
        )
        .exclude(pk=round_.pk)
        .order_by("-started_on", "-pk")
        .first()
    )


def organisation_of(person: AbstractBaseUser) -> Organisation | None:
    """The organisation whose questionnaire a person's round uses (their first membership)."""
    membership = Membership.objects.filter(user_id=person.pk).select_related("organisation").first()
    return membership.organisation if membership else None


def current_questionnaire(organisation: Organisation, kind: str) -> Questionnaire | None:
    """The version in use for new rounds or scans, if the service has one yet."""
    return Questionnaire.objects.filter(
        organisation=organisation, kind=kind, is_current=True
    ).first()


class LinkRefused(Exception):
    """A rater's link that cannot be used, with why (the page answers 410 Gone)."""


def rater_for(token: str, *, now: datetime | None = None) -> Rater:
    """The rater a link names, or LinkRefused saying why it cannot be used (sharing.links'
    checks: signature, secret, used, expired; and here a round already closed)."""
    checked = links.check(
        token,
        links.Purpose.RATER,
        Rater.objects.select_related("round", "round__person"),
        now=now,
    )
    rater = checked.row
    if rater is None:
        raise LinkRefused(
            "This link is not one placewise made: it has been changed, or cut short when it was "
            "copied. Copy the whole link, or ask the person who invited you for a new one."
            if checked.refusal is links.Refusal.NOT_VALID
            else "This invitation to give feedback has been withdrawn. Ask the person who "
            "invited you for a new one."
        )
    if checked.refusal is links.Refusal.USED and rater.answered_on:
        raise LinkRefused(
            f"Feedback was given through this link on {rater.answered_on:%d %B %Y}. Each link "
            "is used once, and answers cannot be changed afterwards."
        )
    if rater.round.closed_on:
        raise LinkRefused(
            f"This round of feedback closed on {rater.round.closed_on:%d %B %Y}: it takes no "
            "more answers."
        )
    if checked.refusal is links.Refusal.EXPIRED:
        raise LinkRefused(
            f"This link expired on {timezone.localtime(rater.expires_at):%d %B %Y at %H:%M}. "
            "Ask the person who invited you for a new one."
        )
    if not checked.ok:  # a refusal with no words of its own here
        raise LinkRefused(checked.reason)
    return rater


def scans_for_team(organisation: Organisation, team: str) -> list[Scan]:
    """A team's culture scans, oldest first (for its change over time)."""
    return list(
        Scan.objects.filter(organisation=organisation, team=team).order_by("started_on", "pk")
    )


def data_of(person: AbstractBaseUser) -> dict[str, object]:
    """The person's own survey data to take away (issue 18, item 6), as JSON-ready values: their
    rounds with their own answers, whom they invited and how many of each group answered, and
    each closed round's report as it is shown to them. Never one rater's answers; and no culture
    scan answers, which are kept with no name on them and so cannot be found as theirs."""
    from placewise.surveys import report
    from placewise.surveys.models import SELF, Response

    rounds: list[dict[str, object]] = []
    for r in Round.objects.filter(person_id=person.pk).order_by("started_on", "pk"):
        own = Response.objects.filter(round=r, group=SELF).first()
        raters = list(r.raters.all())
        entry: dict[str, object] = {
            "started_on": r.started_on.isoformat(),
            "closed_on": r.closed_on.isoformat() if r.closed_on else None,
            "questionnaire": str(r.questionnaire),
            "own_answers": own.answers if own else None,
            "own_note": own.comment if own else "",
            "invited": [
                {"name": x.name, "group": x.group, "organisation": x.organisation_name}
                for x in raters
            ],
            "answered_by_group": {
                g: sum(1 for x in raters if x.group == g and x.answered_on)
                for g in dict.fromkeys(x.group for x in raters)
            },
            "shared_with": [s.person.get_username() for s in r.shares.select_related("person")],
        }
        if r.is_closed:
            built = report.build(r, with_previous=False)
            entry["report"] = {
                "own": built.own,
                "groups": [
                    {"group": line.label, "raters": line.raters, "scores": line.scores}
                    for line in built.lines
                ],
                "comments": [{"group": g, "text": t} for g, t in built.comments],
            }
        rounds.append(entry)
    return {"rounds": rounds}
