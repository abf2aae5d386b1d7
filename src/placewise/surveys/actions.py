"""Writes of the leadership surveys (issue 18, items 2 and 4): questionnaires and their versions,
360 rounds (rating oneself, inviting raters, a rater's answers, closing, sharing the report),
and culture scans (starting, answering, closing).

Every action is taken by someone (`by`), checked here and audited. A rater's answers are written
with no name on them: the audit log records that a rater of a group answered a round, never
which rater gave which answers. A refusal says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.text import slugify

from placewise.sharing import audit, links, writes
from placewise.sharing.access import AccessDenied, permission
from placewise.sharing.models import Membership, Organisation
from placewise.sharing.permissions import Permission
from placewise.surveys import queries, questionnaires
from placewise.surveys.models import (
    CULTURES,
    DIMENSIONS,
    SELF,
    Participant,
    Question,
    Questionnaire,
    Rater,
    Response,
    Round,
    Scan,
    ScanAnswer,
    Share,
)
from placewise.surveys.visibility import round_sight

MOST_RATER_DAYS = 60


class SurveyRefused(ValueError):
    """A write refused, with the reason a person reads."""


def _refuse(by: User, action: str, target: str, reason: str) -> SurveyRefused:
    audit.record(
        actor=by.get_username(), action=action, target=target, allowed=False, reason=reason
    )
    return SurveyRefused(reason)


# --- Questionnaires ------------------------------------------------------------------------------


def _starter(organisation: Organisation, kind: str, by: User) -> Questionnaire:
    questionnaire = Questionnaire.objects.create(
        organisation=organisation,
        kind=kind,
        version=1,
        what_changed="The starter questionnaire.",
        created_by=by.get_username(),
    )
    if kind == Questionnaire.Kind.SIX_DIMENSIONS:
        for position, s in enumerate(questionnaires.STATEMENTS):
            Question.objects.create(
                questionnaire=questionnaire,
                key=s.key,
                dimension=s.dimension,
                text=s.text,
                position=position,
            )
    else:
        for position, c in enumerate(questionnaires.CHOICES):
            Question.objects.create(
                questionnaire=questionnaire,
                key=c.key,
                text=c.text,
                options=c.options,
                position=position,
            )
    audit.record(
        actor=by.get_username(),
        action="surveys.questionnaire",
        target=str(questionnaire),
        detail={"organisation": organisation.name, "version": 1, "starter": True},
    )
    return questionnaire


@writes.action
def start_questionnaire(*, organisation: Organisation, kind: str, by: User) -> Questionnaire:
    """The organisation's current questionnaire of this kind, the starter one if it has none."""
    current = queries.current_questionnaire(organisation, kind)
    return current if current is not None else _starter(organisation, kind, by)


@dataclass(frozen=True)
class QuestionDraft:
    """A question as the edit form gives it: `key` empty for a new one. Six dimensions: a
    `dimension` and `text`; culture scan: `text` and one statement per culture in `options`."""

    key: str
    text: str
    dimension: str = ""
    options: dict[str, str] | None = None


@writes.action
def revise_questionnaire(
    *, questionnaire: Questionnaire, drafts: list[QuestionDraft], what_changed: str, by: User
) -> Questionnaire:
    """A new version; the one before stays as it was with the answers given under it."""
    decision = permission(by, Permission.PRACTICE_FRAMEWORK)
    if not decision.allowed or questionnaire.organisation not in decision.organisations:
        reason = (
            "Only a head of service of "
            f"{questionnaire.organisation.name} may edit its questionnaires."
        )
        audit.record(
            actor=by.get_username(),
            action="surveys.questionnaire",
            target=str(questionnaire),
            allowed=False,
            reason=reason,
        )
        raise AccessDenied(reason)
    if not questionnaire.is_current:
        raise SurveyRefused(
            f"Version {questionnaire.version} has been replaced: edit the current version."
        )
    six = questionnaire.kind == Questionnaire.Kind.SIX_DIMENSIONS
    if not drafts:
        raise SurveyRefused("A questionnaire needs at least one question.")
    for draft in drafts:
        if not draft.text.strip():
            raise SurveyRefused("Each question needs its wording.")
        if six and draft.dimension not in dict(DIMENSIONS):
            raise SurveyRefused("Each statement needs one of the six dimensions.")
        if not six and not all((draft.options or {}).get(c, "").strip() for c, _ in CULTURES):
            raise SurveyRefused("Each question needs a statement for each of the four cultures.")
    if six:
        missing = [label for d, label in DIMENSIONS if d not in {x.dimension for x in drafts}]
        if missing:
            raise SurveyRefused(
                f"Every dimension needs at least one statement: {', '.join(missing)} has none."
            )
    if not what_changed.strip():
        raise SurveyRefused("Say what changed in this version.")
    Questionnaire.objects.filter(pk=questionnaire.pk).update(is_current=False)
    revised = Questionnaire.objects.create(
        organisation=questionnaire.organisation,
        kind=questionnaire.kind,
        version=questionnaire.version + 1,
        what_changed=what_changed.strip(),
        created_by=by.get_username(),
    )
    known = set(questionnaire.questions.values_list("key", flat=True))
    used: set[str] = set()
    for position, draft in enumerate(drafts):
        key = draft.key if draft.key in known and draft.key not in used else ""
        if not key:
            base, n = slugify(draft.text)[:60] or "question", 2
            key = base
            while key in known | used:
                key, n = f"{base}-{n}", n + 1
        used.add(key)
        Question.objects.create(
            questionnaire=revised,
            key=key,
            dimension=draft.dimension if six else "",
            text=draft.text.strip(),
            options={} if six else {c: (draft.options or {})[c].strip() for c, _ in CULTURES},
            position=position,
        )
    audit.record(
        actor=by.get_username(),
        action="surveys.questionnaire",
        target=str(revised),
        detail={
            "organisation": questionnaire.organisation.name,
            "version": revised.version,
            "removed": sorted(known - used),
            "added": sorted(used - known),
        },
    )
    return revised


# --- 360 rounds ----------------------------------------------------------------------------------


@writes.action
def start_round(*, by: User, today: date | None = None) -> Round:
    """A new 360 round for the person starting it, on their organisation's current questionnaire."""
    organisation = queries.organisation_of(by)
    if organisation is None:
        raise _refuse(
            by,
            "surveys.round_start",
            by.get_username(),
            "You are not a member of any organisation in this place, so there is no "
            "questionnaire to use.",
        )
    questionnaire = start_questionnaire(
        organisation=organisation, kind=Questionnaire.Kind.SIX_DIMENSIONS, by=by
    )
    round_ = Round.objects.create(
        person=by,
        organisation=organisation,
        questionnaire=questionnaire,
        started_on=today or timezone.localdate(),
    )
    audit.record(
        actor=by.get_username(),
        action="surveys.round_start",
        target=f"round {round_.pk}",
        detail={"questionnaire": str(questionnaire)},
    )
    return round_


def _own_open_round(round_: Round, by: User, action: str) -> None:
    seen = round_sight(by, round_)
    if not seen.manage:
        audit.record(
            actor=by.get_username(),
            action=action,
            target=f"round {round_.pk}",
            allowed=False,
            reason=seen.reason,
        )
        raise AccessDenied(
            seen.reason if not seen.allowed else "Only the person whose round it is may do this."
        )
    if round_.is_closed:
        raise SurveyRefused(f"This round closed on {round_.closed_on:%d %B %Y}.")


def _check_answers(
    questions: list[Question], answers: dict[str, int | None]
) -> dict[str, int | None]:
    """The answers kept: every statement answered 1 to 5 or left as not seen, at least one rated
    in each dimension. Raises SurveyRefused saying what is missing."""
    kept: dict[str, int | None] = {}
    for q in questions:
        value = answers.get(q.key)
        if value is not None and (not isinstance(value, int) or not 1 <= value <= 5):
            raise SurveyRefused(f"“{q.text}” needs a rating from 1 to 5, or “not seen”.")
        kept[q.key] = value
    labels = dict(DIMENSIONS)
    unrated = [
        labels[d]
        for d in dict.fromkeys(q.dimension for q in questions)
        if all(kept[q.key] is None for q in questions if q.dimension == d)
    ]
    if unrated:
        raise SurveyRefused(
            f"Rate at least one statement in each dimension: {', '.join(unrated)} has none."
        )
    return kept


@writes.action
def rate_self(
    *, round: Round, answers: dict[str, int | None], comment: str = "", by: User
) -> Response:
    """The person's own ratings (once: they are compared with what raters said)."""
    _own_open_round(round, by, "surveys.self_rating")
    if round.self_answered_at is not None:
        raise SurveyRefused("You have rated yourself in this round already.")
    kept = _check_answers(list(round.questionnaire.questions.all()), answers)
    response = Response.objects.create(
        round=round, group=SELF, answers=kept, comment=comment.strip()
    )
    Round.objects.filter(pk=round.pk).update(self_answered_at=timezone.now())
    round.refresh_from_db()
    audit.record(actor=by.get_username(), action="surveys.self_rating", target=f"round {round.pk}")
    return response


@writes.action
def invite_rater(
    *,
    round: Round,
    group: str,
    name: str,
    organisation_name: str = "",
    days: int | None = None,
    by: User,
) -> links.Issued[Rater]:
    """A rater for this round, with a link (returned once) that works for `days`
    (sharing.links: a signed id and secret, only the secret's hash kept)."""
    _own_open_round(round, by, "surveys.rater_invite")
    if group not in {g.value for g in Rater.Group}:
        raise SurveyRefused("Choose which group the rater is in.")
    if not name.strip():
        raise SurveyRefused("Give the rater's name, so you know whom each link is for.")
    days = int(settings.PLACEWISE_RATER_LINK_DAYS) if days is None else days
    if not 1 <= days <= MOST_RATER_DAYS:
        raise SurveyRefused(f"A link can work for 1 to {MOST_RATER_DAYS} days.")
    issued = links.issue(
        links.Purpose.RATER,
        Rater.objects,
        days=days,
        round=round,
        group=group,
        name=name.strip(),
        organisation_name=organisation_name.strip(),
    )
    audit.record(
        actor=by.get_username(),
        action="surveys.rater_invite",
        target=f"round {round.pk}",
        detail={"group": group, "days": days},
    )
    return issued


@writes.action
def answer_as_rater(
    *, token: str, answers: dict[str, int | None], comment: str = "", by: User
) -> None:
    """A rater's answers, kept with no name on them; the link is then used. `by` is
    `actors.rater()`: who answered is not recorded."""
    try:
        rater = queries.rater_for(token)
    except queries.LinkRefused as refused:
        audit.record(
            actor=by.get_username(),
            action="surveys.rater_answer",
            allowed=False,
            reason=str(refused),
        )
        raise
    # Locked and marked used: a second tab submitting at the same moment finds it used, and a
    # refusal of the answers below undoes the marking with the rest.
    used = links.use(rater)
    if used.row is None or not used.ok:
        raise queries.LinkRefused(used.reason)
    rater = used.row
    kept = _check_answers(list(rater.round.questionnaire.questions.all()), answers)
    Response.objects.create(
        round=rater.round, group=rater.group, answers=kept, comment=comment.strip()
    )
    audit.record(
        actor=by.get_username(),
        action="surveys.rater_answer",
        target=f"round {rater.round_id}",
        detail={"group": rater.group},
    )


@writes.action
def close_round(*, round: Round, by: User, today: date | None = None) -> Round:
    """No more answers; the report can then be read."""
    _own_open_round(round, by, "surveys.round_close")
    round.closed_on = today or timezone.localdate()
    round.save(update_fields=["closed_on"])
    audit.record(actor=by.get_username(), action="surveys.round_close", target=f"round {round.pk}")
    return round


@writes.action
def share_round(*, round: Round, person: User, by: User) -> Share:
    """The person shares their closed round's report with someone (a coach, their supervisor)."""
    seen = round_sight(by, round)
    if not seen.manage:
        raise AccessDenied(
            seen.reason if not seen.allowed else "Only the person may share their report."
        )
    if not round.is_closed:
        raise SurveyRefused("Close the round first: the report shows only once it is closed.")
    if person.pk == by.pk:
        raise SurveyRefused("Choose someone other than yourself.")
    if not person.is_active or not Membership.objects.filter(user_id=person.pk).exists():
        raise SurveyRefused(f"{person.get_username()} is not an active member of this place.")
    share, _ = Share.objects.get_or_create(round=round, person=person)
    audit.record(
        actor=by.get_username(),
        action="surveys.round_share",
        target=f"round {round.pk}",
        detail={"with": person.get_username()},
    )
    return share


# --- Culture scans -------------------------------------------------------------------------------


@writes.action
def start_scan(
    *,
    organisation: Organisation,
    team: str,
    participants: list[User],
    by: User,
    today: date | None = None,
) -> Scan:
    """A culture scan of a team: the people asked each answer once, with no name on it."""
    decision = permission(by, Permission.SUPERVISE)
    if not decision.allowed or organisation not in decision.organisations:
        reason = f"Team managers and heads of service of {organisation.name} run culture scans."
        audit.record(
            actor=by.get_username(),
            action="surveys.scan_start",
            target=team,
            allowed=False,
            reason=reason,
        )
        raise AccessDenied(reason)
    if not team.strip():
        raise SurveyRefused("Name the team (or the organisation) the scan is of.")
    people = list(dict.fromkeys(participants))
    if len(people) < 1:
        raise SurveyRefused("Choose the people who will answer.")
    questionnaire = start_questionnaire(
        organisation=organisation, kind=Questionnaire.Kind.CULTURE_SCAN, by=by
    )
    scan = Scan.objects.create(
        organisation=organisation,
        team=team.strip(),
        questionnaire=questionnaire,
        started_by=by,
        started_on=today or timezone.localdate(),
    )
    for person in people:
        Participant.objects.create(scan=scan, person=person)
    audit.record(
        actor=by.get_username(),
        action="surveys.scan_start",
        target=str(scan),
        detail={"asked": len(people)},
    )
    return scan


@writes.action
def answer_scan(*, scan: Scan, choices: dict[str, str], by: User) -> None:
    """One team member's choices, kept with no name on them."""
    place = Participant.objects.select_for_update().filter(scan=scan, person_id=by.pk).first()
    if place is None:
        raise _refuse(
            by, "surveys.scan_answer", str(scan), "You were not asked to answer this scan."
        )
    if place.answered_on is not None:
        raise SurveyRefused(f"You answered this scan on {place.answered_on:%d %B %Y}.")
    if scan.closed_on is not None:
        raise SurveyRefused(f"This scan closed on {scan.closed_on:%d %B %Y}.")
    questions = list(scan.questionnaire.questions.all())
    missing = [q.text for q in questions if choices.get(q.key) not in dict(CULTURES)]
    if missing:
        raise SurveyRefused(f"Choose one statement for each question: “{missing[0]}” has none.")
    ScanAnswer.objects.create(scan=scan, choices={q.key: choices[q.key] for q in questions})
    place.answered_on = timezone.localdate()
    place.save(update_fields=["answered_on"])
    audit.record(actor=by.get_username(), action="surveys.scan_answer", target=str(scan))


@writes.action
def close_scan(*, scan: Scan, by: User, today: date | None = None) -> Scan:
    """No more answers; the result can then be shown (with enough answers)."""
    if by.pk != scan.started_by_id:
        raise _refuse(
            by,
            "surveys.scan_close",
            str(scan),
            "Only the person who ran the scan closes it.",
        )
    if scan.closed_on is not None:
        raise SurveyRefused(f"This scan closed on {scan.closed_on:%d %B %Y}.")
    scan.closed_on = today or timezone.localdate()
    scan.save(update_fields=["closed_on"])
    audit.record(actor=by.get_username(), action="surveys.scan_close", target=str(scan))
    return scan
