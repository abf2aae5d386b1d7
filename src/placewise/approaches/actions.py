"""Writes of the approaches library and the place survey (issue 19, items 5 and 6).

Every action is taken by someone (`by`), checked against approaches.visibility and audited. A
partner's answers are written with no name on them: the audit log says that a partner answered
a round, never which answers are whose. A refusal says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError
from django.utils import timezone

from placewise.approaches import queries, questionnaire, starter, visibility
from placewise.approaches.models import (
    Answer,
    Approach,
    Invitation,
    Question,
    Respondent,
    Revision,
    SurveyRound,
    Tag,
    Theme,
    Use,
)
from placewise.sharing import audit, links, writes
from placewise.sharing.access import AccessDenied

MOST_LINK_DAYS = 60
# Paths of the library that an approach's slug must not take.
RESERVED = frozenset({"new", "survey", "questions"})
FIELDS = (
    "name",
    "originator",
    "helps_understand",
    "key_elements",
    "when_to_use",
    "further_reading",
    "url_name",
)


class Refused(ValueError):
    """A write refused, with the reason a person reads."""


def _must_enable(by: User, action: str, target: str) -> None:
    seen = visibility.enable(by)
    if not seen.allowed:
        audit.record(
            actor=by.get_username(), action=action, target=target, allowed=False, reason=seen.reason
        )
        raise AccessDenied(seen.reason)


# --- The library -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """An approach as the form gives it."""

    name: str
    originator: str
    helps_understand: str
    key_elements: str
    when_to_use: str
    further_reading: str = ""
    url_name: str = ""
    questions: tuple[str, ...] = ()  # question texts
    connected: tuple[str, ...] = ()  # approach slugs


def _snapshot(approach: Approach) -> dict[str, object]:
    fields: dict[str, object] = {f: getattr(approach, f) for f in FIELDS}
    fields["questions"] = sorted(q.text for q in approach.questions.all())
    fields["connected"] = sorted(a.slug for a in approach.connected.all())
    return fields


def _check(draft: Draft) -> None:
    missing = [
        label
        for label, value in (
            ("a name", draft.name),
            ("who originated it", draft.originator),
            ("what it helps you understand", draft.helps_understand),
            ("its key elements", draft.key_elements),
            ("when to use it", draft.when_to_use),
        )
        if not value.strip()
    ]
    if missing:
        raise Refused("Give " + ", ".join(missing) + ".")
    if not draft.questions:
        raise Refused("Choose at least one question the approach helps answer.")


def _apply(approach: Approach, draft: Draft) -> None:
    for f in FIELDS:
        setattr(approach, f, str(getattr(draft, f)).strip())
    approach.save()
    questions = []
    for position, text in enumerate(draft.questions):
        found, _ = Question.objects.get_or_create(
            text=text.strip(), defaults={"position": 100 + position}
        )
        questions.append(found)
    approach.questions.set(questions)
    approach.connected.set(
        Approach.objects.filter(slug__in=draft.connected).exclude(pk=approach.pk)
    )


def _slug_for(name: str) -> str:
    from django.utils.text import slugify

    base = slugify(name)[:70] or "approach"
    slug, n = base, 2
    while slug in RESERVED or Approach.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@writes.action
def add_approach(*, draft: Draft, by: User) -> Approach:
    """A new approach in the library, version 1."""
    _must_enable(by, "approaches.approach_add", draft.name)
    _check(draft)
    approach = Approach(slug=_slug_for(draft.name), version=1, updated_by=by.get_username())
    _apply(approach, draft)
    Revision.objects.create(
        approach=approach,
        version=1,
        fields=_snapshot(approach),
        by=by.get_username(),
        what_changed="First written.",
    )
    audit.record(actor=by.get_username(), action="approaches.approach_add", target=approach.slug)
    return approach


@writes.action
def edit_approach(*, approach: Approach, draft: Draft, what_changed: str, by: User) -> Approach:
    """A new version of an approach; every version before it is kept with who and when."""
    _must_enable(by, "approaches.approach_edit", approach.slug)
    _check(draft)
    if not what_changed.strip():
        raise Refused("Say what you changed, so others can follow the approach's history.")
    approach.version += 1
    approach.updated_by = by.get_username()
    _apply(approach, draft)
    Revision.objects.create(
        approach=approach,
        version=approach.version,
        fields=_snapshot(approach),
        by=by.get_username(),
        what_changed=what_changed.strip(),
    )
    audit.record(
        actor=by.get_username(),
        action="approaches.approach_edit",
        target=approach.slug,
        detail={"version": approach.version},
    )
    return approach


@writes.action
def record_use(*, approach: Approach, where: str, used_on: date, learned: str, by: User) -> Use:
    """A place or project used the approach, and what it learned."""
    _must_enable(by, "approaches.use", approach.slug)
    if not where.strip() or not learned.strip():
        raise Refused("Say where it was used and what was learned.")
    use = Use.objects.create(
        approach=approach,
        where=where.strip(),
        used_on=used_on,
        learned=learned.strip(),
        recorded_by=by.get_username(),
    )
    audit.record(
        actor=by.get_username(),
        action="approaches.use",
        target=approach.slug,
        detail={"where": where},
    )
    return use


@writes.action
def load_starter_library(*, by: User) -> list[Approach]:
    """The starter library, for a place that has none yet (approaches already there are kept)."""
    _must_enable(by, "approaches.starter", "library")
    for position, text in enumerate(starter.QUESTIONS):
        Question.objects.update_or_create(text=text, defaults={"position": position})
    made = []
    for s in starter.STARTERS:
        if Approach.objects.filter(slug=s.slug).exists():
            continue
        approach = Approach.objects.create(
            slug=s.slug,
            name=s.name,
            originator=s.originator,
            helps_understand=s.helps_understand,
            key_elements="\n".join(s.key_elements),
            when_to_use=s.when_to_use,
            further_reading="\n".join(s.further_reading),
            url_name=s.url_name,
            updated_by=by.get_username(),
        )
        approach.questions.set(
            Question.objects.filter(text__in=[starter.QUESTIONS[i] for i in s.questions])
        )
        made.append(approach)
    for s in starter.STARTERS:
        approach = Approach.objects.get(slug=s.slug)
        if approach in made:
            approach.connected.add(*Approach.objects.filter(slug__in=s.connected))
    for approach in made:
        Revision.objects.create(
            approach=approach,
            version=1,
            fields=_snapshot(approach),
            by=by.get_username(),
            what_changed="The starter library.",
        )
    audit.record(
        actor=by.get_username(),
        action="approaches.starter",
        target="library",
        detail={"added": len(made)},
    )
    return made


# --- The place survey ----------------------------------------------------------------------------


@writes.action
def open_round(*, title: str, by: User, today: date | None = None) -> SurveyRound:
    """A new round of the place survey."""
    _must_enable(by, "approaches.round_open", title)
    if not title.strip():
        raise Refused("Give the round a title, such as “Spring 2026”.")
    round_ = SurveyRound.objects.create(
        title=title.strip(), opened_on=today or timezone.localdate(), opened_by=by.get_username()
    )
    audit.record(
        actor=by.get_username(), action="approaches.round_open", target=f"round {round_.pk}"
    )
    return round_


@writes.action
def close_round(*, round: SurveyRound, by: User, today: date | None = None) -> None:
    """No more answers."""
    _must_enable(by, "approaches.round_close", f"round {round.pk}")
    if round.is_closed:
        raise Refused("This round is already closed.")
    round.closed_on = today or timezone.localdate()
    round.save(update_fields=["closed_on"])
    audit.record(
        actor=by.get_username(), action="approaches.round_close", target=f"round {round.pk}"
    )


@writes.action
def make_link(
    *, round: SurveyRound, organisation_name: str, days: int | None = None, by: User
) -> links.Issued[Invitation]:
    """A link for one partner to answer without an account (only its secret's hash is kept)."""
    _must_enable(by, "approaches.link", f"round {round.pk}")
    if round.is_closed:
        raise Refused("This round is closed: open a new round to ask again.")
    if not organisation_name.strip():
        raise Refused("Say which partner organisation the link is for.")
    days = int(settings.PLACEWISE_RATER_LINK_DAYS) if days is None else days
    if not 1 <= days <= MOST_LINK_DAYS:
        raise Refused(f"A link can work for 1 to {MOST_LINK_DAYS} days.")
    issued = links.issue(
        links.Purpose.PLACE_SURVEY,
        Invitation.objects,
        days=days,
        round=round,
        organisation_name=organisation_name.strip(),
    )
    audit.record(
        actor=by.get_username(),
        action="approaches.link",
        target=f"round {round.pk}",
        detail={"days": days},
    )
    return issued


def _keep(ratings: dict[str, int], texts: dict[str, str]) -> tuple[dict[str, int], dict[str, str]]:
    kept = {}
    for key in questionnaire.RATING_KEYS:
        value = ratings.get(key)
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise Refused("Answer every question from 1 to 5.")
        kept[key] = value
    words = {k: texts[k].strip() for k in questionnaire.TEXT_KEYS if texts.get(k, "").strip()}
    return kept, words


@writes.action
def answer_by_link(*, token: str, ratings: dict[str, int], texts: dict[str, str], by: User) -> None:
    """A partner's answers by link, kept with no name on them; the link is then used. `by` is
    `actors.partner_by_link()`: who answered is not recorded."""
    try:
        invitation = queries.invitation_for(token)
    except queries.LinkRefused as refused:
        audit.record(
            actor=by.get_username(), action="approaches.answer", allowed=False, reason=str(refused)
        )
        raise
    # Locked and marked used; refused answers below undo the marking with the rest.
    used = links.use(invitation)
    if used.row is None or not used.ok:
        raise queries.LinkRefused(used.reason)
    invitation = used.row
    kept, words = _keep(ratings, texts)
    Answer.objects.create(round=invitation.round, ratings=kept, texts=words)
    audit.record(
        actor=by.get_username(), action="approaches.answer", target=f"round {invitation.round_id}"
    )


@writes.action
def answer_signed_in(
    *, round: SurveyRound, ratings: dict[str, int], texts: dict[str, str], by: User
) -> None:
    """A signed-in partner's answers, once a round, kept with no name on them."""
    seen = visibility.answer(by)
    target = f"round {round.pk}"
    if not seen.allowed:
        audit.record(
            actor=by.get_username(),
            action="approaches.answer",
            target=target,
            allowed=False,
            reason=seen.reason,
        )
        raise AccessDenied(seen.reason)
    if round.is_closed:
        raise Refused("This round has closed.")
    kept, words = _keep(ratings, texts)
    try:
        Respondent.objects.create(round=round, person_id=by.pk)
    except IntegrityError:
        raise Refused("You have already answered this round.") from None
    Answer.objects.create(round=round, ratings=kept, texts=words)
    audit.record(actor=by.get_username(), action="approaches.answer", target=target)


@writes.action
def tag_quote(*, answer: Answer, text_key: str, theme_name: str, by: User) -> Tag:
    """Put one quote under a theme (a new theme if none of the round has this name)."""
    _must_enable(by, "approaches.tag", f"round {answer.round_id}")
    if not answer.round.is_closed:
        raise Refused("Quotes are grouped once the round closes: until then they are not shown.")
    if text_key not in answer.texts:
        raise Refused("That answer has no words for this question.")
    name = theme_name.strip()
    if not name:
        raise Refused("Give the theme a name.")
    theme, _ = Theme.objects.get_or_create(round=answer.round, name=name)
    tag, _ = Tag.objects.get_or_create(theme=theme, answer=answer, text_key=text_key)
    audit.record(
        actor=by.get_username(),
        action="approaches.tag",
        target=f"round {answer.round_id}",
        detail={"theme": name},
    )
    return tag
