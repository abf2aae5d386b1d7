"""Writes for the resident service guide: guides, items with their history, answering a gap, and
counting a resident's search. Keyword-only, with the actor, atomic (sharing/writes.py).

The service's changes are audited. A resident's search is not: the audit log says who did what,
and a search is counted precisely so that nobody knows who searched (its words and month only)."""

from datetime import date

from django.contrib.auth.models import User
from django.db.models import F
from django.utils import timezone

from placewise.guide import matching, queries
from placewise.guide.models import Gap, Guide, Item, Revision, SearchCount
from placewise.sharing import audit, writes
from placewise.sharing.models import Organisation


class GuideError(Exception):
    """A change that is not allowed, with the reason."""


def _may_edit(by: User, organisation: Organisation, what: str) -> None:
    if organisation not in queries.editable_by(by):
        audit.record(
            actor=by.get_username(),
            action="guide.refused",
            target=what,
            allowed=False,
            reason=f"Not allowed to edit {organisation.name}'s guides.",
        )
        raise GuideError(
            f"Only people who run {organisation.name}'s services edit its guides "
            "(a head of service or team manager there)."
        )


def _synonyms(lines: str | list[str]) -> str:
    given = lines.splitlines() if isinstance(lines, str) else lines
    kept: list[str] = []
    for line in given:
        words = matching.normalise(line)[: matching.MAX_LENGTH]
        if words and words not in kept:
            kept.append(words)
    return "\n".join(kept)


def _revise(item: Item, change: str, by: User) -> None:
    Revision.objects.create(
        item=item,
        change=change,
        name=item.name,
        answer=item.answer,
        detail=item.detail,
        synonyms=item.synonyms,
        by=by,
        at=timezone.now(),
    )


def _close_answered(guide: Guide, item: Item, on: date) -> list[str]:
    """Open gaps whose words now find a good answer in this item close, answered by it."""
    closed = []
    candidate = [matching.Candidate(item.pk, (item.name, *item.synonym_list))]
    for gap in queries.open_gaps(guide):
        if any(m.score.good for m in matching.search(gap.words, candidate)):
            gap.closed_on, gap.answered_by = on, item
            gap.save(update_fields=["closed_on", "answered_by"])
            closed.append(gap.words)
    return closed


@writes.action
def create_guide(
    *,
    organisation: Organisation,
    key: str,
    title: str,
    area: str,
    by: User,
    introduction: str = "",
) -> Guide:
    """A new guide for a council's area, empty until items are added."""
    _may_edit(by, organisation, f"guide:{key}")
    if key == "service" or Guide.objects.filter(key=key).exists():
        raise GuideError(f"A guide already has the address /guide/{key}/: choose another.")
    guide = Guide.objects.create(
        organisation=organisation, key=key, title=title, area=area, introduction=introduction
    )
    audit.record(
        actor=by.get_username(),
        action="guide.created",
        target=f"guide:{guide.pk}",
        allowed=True,
        detail={"organisation": organisation.name, "key": key},
    )
    return guide


@writes.action
def add_item(
    *,
    guide: Guide,
    name: str,
    answer: str,
    by: User,
    detail: str = "",
    synonyms: str | list[str] = "",
    today: date | None = None,
) -> Item:
    """An item and its answer; open gaps its name or synonyms now answer close."""
    _may_edit(by, guide.organisation, f"guide:{guide.pk}")
    name = " ".join(name.split())
    if guide.items.filter(name__iexact=name).exists():
        raise GuideError(f"The guide already has '{name}': change that item instead.")
    item = Item.objects.create(
        guide=guide, name=name, answer=answer, detail=detail, synonyms=_synonyms(synonyms)
    )
    _revise(item, Revision.Change.ADDED, by)
    closed = _close_answered(guide, item, today or timezone.localdate())
    audit.record(
        actor=by.get_username(),
        action="guide.item_added",
        target=f"guide_item:{item.pk}",
        allowed=True,
        detail={"guide": guide.pk, "gaps_closed": len(closed)},
    )
    return item


@writes.action
def change_item(
    *,
    item: Item,
    name: str,
    answer: str,
    detail: str,
    synonyms: str | list[str],
    by: User,
    today: date | None = None,
) -> Item:
    """A new version of an item; the one before stays in its history."""
    _may_edit(by, item.guide.organisation, f"guide_item:{item.pk}")
    name = " ".join(name.split())
    if item.guide.items.filter(name__iexact=name).exclude(pk=item.pk).exists():
        raise GuideError(f"The guide already has '{name}': change that item instead.")
    item.name, item.answer, item.detail = name, answer, detail
    item.synonyms = _synonyms(synonyms)
    item.save()
    _revise(item, Revision.Change.CHANGED, by)
    closed = _close_answered(item.guide, item, today or timezone.localdate())
    audit.record(
        actor=by.get_username(),
        action="guide.item_changed",
        target=f"guide_item:{item.pk}",
        allowed=True,
        detail={"guide": item.guide_id, "gaps_closed": len(closed)},
    )
    return item


@writes.action
def answer_gap(
    *,
    gap: Gap,
    by: User,
    item: Item | None = None,
    name: str = "",
    answer: str = "",
    detail: str = "",
    today: date | None = None,
) -> Item:
    """One step from the gap list: the gap's words become a synonym of an existing item, or a new
    item with its answer. The gap closes, answered by that item."""
    guide = gap.guide
    _may_edit(by, guide.organisation, f"guide_gap:{gap.pk}")
    if gap.closed_on is not None:
        raise GuideError(f"'{gap.words}' was answered on {gap.closed_on:%-d %B %Y} already.")
    on = today or timezone.localdate()
    if item is not None:
        if item.guide_id != guide.pk:
            raise GuideError("Choose an item from this guide.")
        item.synonyms = _synonyms([*item.synonym_list, gap.words])
        item.save()
    else:
        name = " ".join((name or gap.words).split())
        if not answer.strip():
            raise GuideError("Enter the answer: where it goes.")
        if guide.items.filter(name__iexact=name).exists():
            raise GuideError(f"The guide already has '{name}': add the words to it instead.")
        item = Item.objects.create(
            guide=guide,
            name=name,
            answer=answer,
            detail=detail,
            synonyms=_synonyms([gap.words]) if matching.normalise(name) != gap.words else "",
        )
    _revise(item, Revision.Change.FROM_GAP, by)
    gap.closed_on, gap.answered_by = on, item
    gap.save(update_fields=["closed_on", "answered_by"])
    others = _close_answered(guide, item, on)
    audit.record(
        actor=by.get_username(),
        action="guide.gap_answered",
        target=f"guide_gap:{gap.pk}",
        allowed=True,
        detail={"guide": guide.pk, "item": item.pk, "other_gaps_closed": len(others)},
    )
    return item


@writes.action
def count_search(
    *,
    guide: Guide,
    text: str,
    answered: bool,
    by: User,
    today: date | None = None,
) -> bool:
    """Count one search by its normalised words and month; open or grow a gap when it found no
    good answer. `by` is not kept: who searched is never recorded. False if the words were not
    kept (empty, or like someone's details)."""
    words = matching.normalise(text)[: matching.MAX_LENGTH]
    if not words or not queries.keepable(text):
        return False
    on = today or timezone.localdate()
    missed = 0 if answered else 1
    count, _ = SearchCount.objects.get_or_create(
        guide=guide, words=words, month=queries.month_of(on)
    )
    SearchCount.objects.filter(pk=count.pk).update(
        searches=F("searches") + 1, unanswered=F("unanswered") + missed
    )
    if not answered:
        gap, _ = Gap.objects.get_or_create(
            guide=guide, words=words, closed_on=None, defaults={"opened_on": on}
        )
        Gap.objects.filter(pk=gap.pk).update(searches=F("searches") + 1)
    return True
