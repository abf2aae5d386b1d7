"""Reads of the approaches library and the place survey: finding approaches by question or by
words, a round's results and the comparison round by round, and quotes grouped by theme. Every
figure and quote of a round is given only when approaches.visibility lets the round be shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from placewise.approaches import questionnaire, visibility
from placewise.approaches.models import Answer, Approach, Invitation, Question, SurveyRound
from placewise.sharing import links


class LinkRefused(ValueError):
    """A survey link that cannot be used, and why."""


# --- The library ---------------------------------------------------------------------------------


def questions() -> QuerySet[Question]:
    """Every question with at least one approach, with how many approaches answer it."""
    return (
        Question.objects.annotate(n=Count("approaches"))
        .filter(n__gt=0)
        .order_by("position", "text")
    )


def search(words: str) -> QuerySet[Approach]:
    """Approaches whose name, originator, text or questions contain every word given."""
    found = Approach.objects.all()
    for word in words.split():
        found = found.filter(
            Q(name__icontains=word)
            | Q(originator__icontains=word)
            | Q(helps_understand__icontains=word)
            | Q(key_elements__icontains=word)
            | Q(when_to_use__icontains=word)
            | Q(questions__text__icontains=word)
        )
    return found.distinct().order_by("name")


def where_done(approach: Approach) -> str | None:
    """The page in placewise where the approach is done, if there is one (and it is built)."""
    if not approach.url_name:
        return None
    try:
        return reverse(approach.url_name)
    except NoReverseMatch:
        return None


# --- Survey links --------------------------------------------------------------------------------


def invitation_for(token: str, *, now: datetime | None = None) -> Invitation:
    """The invitation a link names, or LinkRefused saying why it cannot be used (sharing.links'
    checks: signature, secret, used, expired; and here a round already closed)."""
    checked = links.check(
        token, links.Purpose.PLACE_SURVEY, Invitation.objects.select_related("round"), now=now
    )
    invitation = checked.row
    if invitation is None:
        raise LinkRefused(
            "This link is not one placewise made: it has been changed, or cut short when it was "
            "copied. Copy the whole link, or ask the enabler for a new one."
            if checked.refusal is links.Refusal.NOT_VALID
            else "This link has been withdrawn. Ask the enabler for a new one."
        )
    if checked.refusal is links.Refusal.USED:
        raise LinkRefused("This link has been used: each link answers the survey once.")
    if invitation.round.is_closed:
        raise LinkRefused("This round of the place survey has closed.")
    if checked.refusal is links.Refusal.EXPIRED:
        raise LinkRefused(f"{checked.reason} Ask the enabler for a new one.")
    if not checked.ok:  # a refusal with no words of its own here
        raise LinkRefused(checked.reason)
    return invitation


# --- Results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    key: str
    text: str
    mean: float | None  # None: the round is withheld
    change: (
        float | None
    )  # from the previous round shown; None for the first or if either is withheld


@dataclass(frozen=True)
class RoundResult:
    round: SurveyRound
    answers: int | None  # published count; None when withheld
    scores: list[Score]

    @property
    def withheld(self) -> bool:
        return self.answers is None


def _means(answers: list[Answer]) -> dict[str, float]:
    means = {}
    for key in questionnaire.RATING_KEYS:
        values = [a.ratings[key] for a in answers if key in a.ratings]
        if values:
            means[key] = round(sum(values) / len(values), 1)
    return means


def compare(rounds: list[SurveyRound]) -> list[RoundResult]:
    """Each round's mean rating per question (on 1 to 5) and its change from the round before,
    oldest first. A round shows only once closed (two looks at an open round, before and after
    one more answer, would give that answer away) and at or above the threshold; a round not
    shown shows nothing, and no change is worked out across it."""
    results: list[RoundResult] = []
    previous: dict[str, float] | None = None
    for round_ in rounds:
        answers = list(round_.answers.all())
        published = visibility.published(len(answers)) if round_.is_closed else None
        if published is None:
            results.append(
                RoundResult(
                    round_, None, [Score(i.key, i.text, None, None) for i in questionnaire.RATINGS]
                )
            )
            previous = None
            continue
        means = _means(answers)
        scores = [
            Score(
                i.key,
                i.text,
                means.get(i.key),
                round(means[i.key] - previous[i.key], 1)
                if previous is not None and i.key in means and i.key in previous
                else None,
            )
            for i in questionnaire.RATINGS
        ]
        results.append(RoundResult(round_, published, scores))
        previous = means
    return results


@dataclass(frozen=True)
class Quote:
    answer_id: str
    text_key: str
    question: str
    words: str
    themes: tuple[str, ...]


@dataclass(frozen=True)
class ThemeGroup:
    name: str
    quotes: list[Quote]


def quotes(round_: SurveyRound) -> list[Quote] | None:
    """Every quote of the round with its themes, in a random but stable order (answers' keys are
    random), never with who wrote it; None while the round is open or below the threshold."""
    answers = list(round_.answers.prefetch_related("tags__theme"))
    if not round_.is_closed or not visibility.shown(len(answers)):
        return None
    found = []
    for answer in answers:
        for key in questionnaire.TEXT_KEYS:
            if key in answer.texts:
                found.append(
                    Quote(
                        str(answer.pk),
                        key,
                        questionnaire.TEXT_LABELS[key],
                        answer.texts[key],
                        tuple(sorted(t.theme.name for t in answer.tags.all() if t.text_key == key)),
                    )
                )
    return found


def by_theme(round_: SurveyRound) -> tuple[list[ThemeGroup], list[Quote]] | None:
    """The round's quotes grouped by theme (a quote may be under several), and those not yet
    under any; None when the round is below the threshold."""
    found = quotes(round_)
    if found is None:
        return None
    names = sorted({t for q in found for t in q.themes})
    groups = [ThemeGroup(n, [q for q in found if n in q.themes]) for n in names]
    return groups, [q for q in found if not q.themes]
