"""Writes of practice learning (issue 17): the framework and its versions, who works in which
team, peer review sessions, the case presented, peers' feedback, what the group agrees, and the
presenter sharing their feedback into supervision.

Every action is taken by a person (`by`), checked here, and audited. A refusal says why.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, User
from django.utils import timezone
from django.utils.text import slugify

from placewise.practice import queries, starter
from placewise.practice.models import (
    CaseAccess,
    Criterion,
    Feedback,
    Framework,
    LearningPoint,
    Peer,
    PeerReview,
    Practitioner,
)
from placewise.sharing import audit, policy, writes
from placewise.sharing.access import AccessDenied, permission
from placewise.sharing.models import Agreement, Organisation
from placewise.sharing.permissions import Permission
from placewise.store import queries as store
from placewise.store.pseudonymise import Tokeniser

# Why a case is opened at a peer review: to learn from practice and improve the service.
PURPOSE = Agreement.Purpose.SERVICE_IMPROVEMENT
MOST_PEERS = 6
MOST_LEARNING_POINTS = 3


class PracticeError(ValueError):
    """A write refused, with the reason a person reads."""


def _actor(by: User) -> str:
    return str(by.get_username())


def _require(by: User, wanted: Permission, organisation: Organisation) -> None:
    decision = permission(by, wanted)
    if not decision.allowed:
        raise AccessDenied(decision.reason)
    if organisation not in decision.organisations:
        raise AccessDenied(
            f"Your roles do not include this at {organisation.name}: "
            f"{decision.reason.removeprefix('Allowed by ')}"
        )


# --- The framework ----------------------------------------------------------------------------


@writes.action
def start_framework(*, organisation: Organisation, by: User) -> Framework:
    """The organisation's current framework, the starter one if it has none yet."""
    current = queries.current_framework(organisation)
    if current is not None:
        return current
    framework = Framework.objects.create(
        organisation=organisation,
        name=starter.NAME,
        version=1,
        what_changed="The starter framework.",
        created_by=_actor(by),
    )
    for position, draft in enumerate(starter.CRITERIA):
        Criterion.objects.create(framework=framework, position=position, **draft._asdict())
    audit.record(
        actor=by.get_username(),
        action="practice.framework",
        target=str(framework),
        detail={"organisation": organisation.name, "version": 1, "starter": True},
    )
    return framework


@dataclass(frozen=True)
class CriterionDraft:
    """A criterion as the edit form gives it: `key` empty for a new one."""

    key: str
    area: str
    question: str
    what_good_looks_like: str


@writes.action
def revise_framework(
    *,
    framework: Framework,
    criteria: list[CriterionDraft],
    grades: list[str],
    what_changed: str,
    by: User,
) -> Framework:
    """A new version of the framework; the one before stays as it was, with the reviews held
    under it and their grades (a criterion left out is removed from new reviews only)."""
    _require(by, Permission.PRACTICE_FRAMEWORK, framework.organisation)
    if not framework.is_current:
        raise PracticeError(
            f"Version {framework.version} has been replaced: edit the current version."
        )
    if not criteria:
        raise PracticeError("A framework needs at least one criterion.")
    for draft in criteria:
        if not (
            draft.area.strip() and draft.question.strip() and draft.what_good_looks_like.strip()
        ):
            raise PracticeError(
                "Each criterion needs an area, a question and what good looks like."
            )
    scale = [g.strip() for g in grades if g.strip()]
    if len(scale) < 2 or len(set(scale)) != len(scale):
        raise PracticeError("The scale needs at least two grades, each different.")
    if not what_changed.strip():
        raise PracticeError("Say what changed in this version.")
    Framework.objects.filter(pk=framework.pk).update(is_current=False)
    revised = Framework.objects.create(
        organisation=framework.organisation,
        name=framework.name,
        version=framework.version + 1,
        grades=scale,
        what_changed=what_changed.strip(),
        created_by=_actor(by),
    )
    known = set(framework.criteria.values_list("key", flat=True))
    used: set[str] = set()
    for position, draft in enumerate(criteria):
        key = draft.key if draft.key in known else _new_key(draft.question, known | used)
        if key in used:
            raise PracticeError("A criterion appears twice.")
        used.add(key)
        Criterion.objects.create(
            framework=revised,
            key=key,
            area=draft.area.strip(),
            question=draft.question.strip(),
            what_good_looks_like=draft.what_good_looks_like.strip(),
            position=position,
        )
    audit.record(
        actor=by.get_username(),
        action="practice.framework",
        target=str(revised),
        detail={
            "organisation": framework.organisation.name,
            "version": revised.version,
            "removed": sorted(known - used),
            "added": sorted(used - known),
        },
    )
    return revised


def _new_key(question: str, taken: set[str]) -> str:
    base = slugify(question)[:60] or "criterion"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


# --- Teams ------------------------------------------------------------------------------------


@writes.action
def place_in_team(*, person: User, organisation: Organisation, team: str, by: User) -> Practitioner:
    """Say which team a practitioner works in (as the case system names it)."""
    _require(by, Permission.PRACTICE_FRAMEWORK, organisation)
    if not team.strip():
        raise PracticeError("Name the team.")
    placed, _ = Practitioner.objects.update_or_create(
        person=person,
        defaults={"organisation": organisation, "team": team.strip(), "placed_by": _actor(by)},
    )
    audit.record(
        actor=by.get_username(),
        action="practice.team",
        target=str(person.get_username()),
        detail={"organisation": organisation.name, "team": placed.team},
    )
    return placed


# --- Peer review sessions ---------------------------------------------------------------------


@writes.action
def set_up_review(
    *,
    organisation: Organisation,
    held_on: date,
    method: str,
    facilitator: User,
    presenter: User,
    peers: list[User],
    by: User,
) -> PeerReview:
    """A peer review session: a presenter, a facilitator and a small group from other teams."""
    _require(by, Permission.PRACTICE_REVIEW, organisation)
    if method not in PeerReview.Method.values:
        raise PracticeError("Choose how the case will be reviewed.")
    teams = queries.teams_of([presenter, facilitator, *peers])
    presenting_team = teams.get(presenter.pk)
    if presenting_team is None:
        raise PracticeError(f"{_name(presenter)} is not in a team yet: say which team first.")
    if not peers:
        raise PracticeError("Choose at least one peer.")
    if len(peers) > MOST_PEERS:
        raise PracticeError(f"A peer review group is small: at most {MOST_PEERS} peers.")
    if any(p.pk == presenter.pk for p in peers):
        raise PracticeError(
            f"{_name(presenter)} presents the case: a practitioner cannot review their own case."
        )
    if facilitator.pk == presenter.pk:
        raise PracticeError("The facilitator cannot be the practitioner presenting the case.")
    if any(p.pk == facilitator.pk for p in peers):
        raise PracticeError(
            f"{_name(facilitator)} facilitates: the facilitator helps the group agree its "
            "feedback and does not give feedback as a peer. Choose them as one or the other."
        )
    for peer in peers:
        team = teams.get(peer.pk)
        if team is None:
            raise PracticeError(f"{_name(peer)} is not in a team yet: say which team first.")
        if team == presenting_team:
            raise PracticeError(
                f"{_name(peer)} works in {team}, the presenter's own team: peers come from "
                "other teams."
            )
    for someone in (presenter, facilitator, *peers):
        if not permission(someone, Permission.PRACTICE_REVIEW).allowed:
            raise PracticeError(f"{_name(someone)} does not take part in peer reviews.")
    framework = start_framework(organisation=organisation, by=by)
    review = PeerReview.objects.create(
        organisation=organisation,
        framework=framework,
        held_on=held_on,
        method=method,
        facilitator=facilitator,
        presenter=presenter,
        presenter_team=presenting_team,
        created_by=_actor(by),
    )
    for peer in peers:
        Peer.objects.create(review=review, person=peer, team=teams[peer.pk])
    audit.record(
        actor=by.get_username(),
        action="practice.review",
        target=f"peer review {review.pk}",
        detail={
            "held_on": held_on,
            "method": method,
            "presenter": presenter.get_username(),
            "facilitator": facilitator.get_username(),
            "peers": sorted(p.get_username() for p in peers),
            "framework": str(framework),
        },
    )
    return review


def _name(user: AbstractBaseUser) -> str:
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or user.get_username())


@writes.action
def choose_case(*, review: PeerReview, source: str, reference: str, by: User) -> PeerReview:
    """The presenter chooses the case: one their team holds, opened through the policy function
    (for practice learning, audited). What they may see of it, source by source, is kept: no one
    in the group is shown more."""
    if by.pk != review.presenter_id:
        raise AccessDenied("Only the practitioner presenting chooses the case.")
    if review.agreed_on is not None:
        raise PracticeError("The group has agreed its summary: the case can no longer change.")
    reference = reference.strip()
    if not reference:
        raise PracticeError("Enter the case reference.")
    access = policy.decide(by, source=source, purpose=PURPOSE, subject=reference)
    if not access.allowed:
        raise AccessDenied(access.reason)
    token = Tokeniser(settings.PLACE_SECRET).token(source, reference)
    team = queries.team_holding(token)
    if team is None:
        raise PracticeError(
            f"There is no case with the reference {reference} in {source} allocated to a team."
        )
    if team != review.presenter_team:
        raise PracticeError(
            f"The case {reference} is allocated to {team}, not to your team "
            f"({review.presenter_team}): present a case your team holds."
        )
    CaseAccess.objects.filter(review=review).delete()
    _keep(review, source, access)
    linked = store.run(store.linked_records(token))
    for other in sorted({row["source"] for row in linked} - {source}):
        decided = policy.decide(
            by, source=other, purpose=PURPOSE, subject=f"{source}/{reference} (linked)"
        )
        if decided.allowed:
            _keep(review, other, decided)
    review.case_source, review.case_reference = source, reference
    review.save(update_fields=["case_source", "case_reference"])
    audit.record(
        actor=by.get_username(),
        action="practice.case",
        target=f"peer review {review.pk}",
        detail={"source": source, "reference": reference, "team": team},
    )
    return review


def _keep(review: PeerReview, source: str, access: policy.Access) -> None:
    CaseAccess.objects.create(
        review=review,
        source=source,
        kinds=sorted(access.kinds) if access.kinds is not None else None,
        fields=sorted(access.fields),
    )


@dataclass(frozen=True)
class Grading:
    """One peer's feedback on one criterion, as the form gives it."""

    criterion: Criterion
    grade: str
    strengths: str
    improvements: str


@writes.action
def give_feedback(*, review: PeerReview, gradings: list[Grading], by: User) -> list[Feedback]:
    """A peer's feedback on every criterion of the review's framework: a grade, strengths (asked
    first, and required) and areas for improvement. Given again, it replaces theirs."""
    if not review.peers.filter(person_id=by.pk).exists():
        raise AccessDenied("Only the peers in this review's group give feedback on it.")
    if review.agreed_on is not None:
        raise PracticeError("The group has agreed its summary: feedback is closed.")
    if not review.case_reference:
        raise PracticeError("The presenter has not chosen the case yet.")
    criteria = {c.pk: c for c in review.framework.criteria.all()}
    given = {g.criterion.pk for g in gradings}
    if given != set(criteria):
        raise PracticeError("Give feedback on every criterion of the framework.")
    for g in gradings:
        if g.grade not in review.framework.grades:
            raise PracticeError(f"'{g.grade}' is not a grade of this framework's scale.")
        if not g.strengths.strip():
            raise PracticeError(f"Say what was strong for: {g.criterion.question}")
    Feedback.objects.filter(review=review, peer_id=by.pk).delete()
    saved = [
        Feedback.objects.create(
            review=review,
            peer=by,
            criterion=criteria[g.criterion.pk],
            grade=g.grade,
            strengths=g.strengths.strip(),
            improvements=g.improvements.strip(),
        )
        for g in gradings
    ]
    audit.record(
        actor=by.get_username(),
        action="practice.feedback",
        target=f"peer review {review.pk}",
        detail={"criteria": len(saved)},
    )
    return saved


@writes.action
def agree_summary(
    *,
    review: PeerReview,
    summary: str,
    points: list[tuple[str, str]],
    on: date,
    by: User,
) -> PeerReview:
    """What the group agreed: a summary and up to three learning points, each of which may name
    the criterion it bears on. Recorded by the facilitator."""
    if by.pk != review.facilitator_id:
        raise AccessDenied("The facilitator records what the group agreed.")
    if not review.feedback.exists():
        raise PracticeError("No peer has given feedback yet.")
    if not summary.strip():
        raise PracticeError("Write the summary the group agreed.")
    kept = [(text.strip(), key) for text, key in points if text.strip()]
    if len(kept) > MOST_LEARNING_POINTS:
        raise PracticeError(f"Agree at most {MOST_LEARNING_POINTS} learning points.")
    keys = set(review.framework.criteria.values_list("key", flat=True))
    if any(key and key not in keys for _, key in kept):
        raise PracticeError("A learning point names a criterion that is not in this framework.")
    if on < review.held_on:
        raise PracticeError("The summary cannot be agreed before the session was held.")
    review.summary, review.agreed_on = summary.strip(), on
    review.save(update_fields=["summary", "agreed_on"])
    review.learning_points.all().delete()
    for position, (text, key) in enumerate(kept):
        LearningPoint.objects.create(review=review, text=text, criterion_key=key, position=position)
    audit.record(
        actor=by.get_username(),
        action="practice.summary",
        target=f"peer review {review.pk}",
        detail={"learning_points": len(kept)},
    )
    return review


@writes.action
def share_into_supervision(*, review: PeerReview, by: User, on: date | None = None) -> PeerReview:
    """The presenter shares the feedback on their case into supervision: from then their
    supervisor sees it. Only the presenter can."""
    if by.pk != review.presenter_id:
        raise AccessDenied(
            "Only the practitioner whose review it is can share it into supervision."
        )
    if not review.feedback.exists():
        raise PracticeError("There is no feedback to share yet.")
    if review.shared_on is None:
        review.shared_on = on or timezone.localdate()
        review.save(update_fields=["shared_on"])
        audit.record(
            actor=by.get_username(),
            action="practice.share",
            target=f"peer review {review.pk}",
            detail={"shared_on": review.shared_on},
        )
    return review
