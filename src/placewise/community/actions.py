"""Writes of community co-design (issue 20, items 1 to 3): population tables, engagements and
their sessions with who took part counted by group, contact details a participant chose to leave
(and their deletion), voices, themes, proposals and the service's response, and publishing the
"you said, we did" page.

Each is taken by someone who runs engagements at the engagement's organisation (REVIEW_RUN
there), checked here and audited. No audit entry carries a participant's words or contact details.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.contrib.auth.models import User
from django.utils.text import slugify

from placewise.community import population as population_file
from placewise.community import service_users
from placewise.community.models import (
    Attendance,
    Contact,
    Dimension,
    Engagement,
    PopulationRow,
    PopulationTable,
    Proposal,
    Session,
    Theme,
    Voice,
)
from placewise.initiatives.models import Initiative
from placewise.outcomes import data
from placewise.reviews import actions as follow_up_engine
from placewise.reviews.models import Action
from placewise.sharing import audit, policy, writes
from placewise.sharing.access import AccessDenied, permission
from placewise.sharing.models import Organisation
from placewise.sharing.permissions import Permission
from placewise.sharing.publication import PLACE


class CommunityError(Exception):
    """A write refused, with the reason in words a person can act on."""


def _require(by: User, organisation: Organisation, doing: str, *, action: str) -> str:
    """The actor's username, if they run engagements at this organisation; else AccessDenied."""
    decision = permission(by, Permission.REVIEW_RUN)
    if not decision.allowed or organisation not in decision.organisations:
        reason = (
            decision.reason
            if not decision.allowed
            else f"Only people who run engagements at {organisation.name} may {doing}."
        )
        audit.record(
            actor=by.get_username(),
            action=action,
            target=organisation.name,
            allowed=False,
            reason=reason,
        )
        raise AccessDenied(reason)
    return by.get_username()


@writes.action
def load_population(
    *, organisation: Organisation, title: str, source: str, text: str, by: User
) -> PopulationTable:
    """A population table from an ONS-style CSV; a faulty file is refused whole (population.read)."""
    who = _require(by, organisation, "load population tables", action="community.population")
    if not title.strip() or not source.strip():
        raise CommunityError("Give the table a title and say where its figures come from.")
    rows = population_file.read(text)
    table = PopulationTable.objects.create(
        organisation=organisation, title=title.strip(), source=source.strip(), loaded_by=who
    )
    PopulationRow.objects.bulk_create(
        PopulationRow(table=table, dimension=d, group=g, count=n) for d, g, n in rows
    )
    audit.record(
        actor=who,
        action="community.population",
        target=table.title,
        detail={"table": table.pk, "rows": len(rows)},
    )
    return table


@writes.action
def population_from_service(
    *,
    organisation: Organisation,
    title: str,
    source: str,
    kinds: list[str],
    since: date,
    until: date,
    by: User,
) -> PopulationTable:
    """A population table of the service's own users: the children one of the organisation's
    sources holds with an event of `kinds` between `since` and `until`, by ethnic group, through
    disclosure control (a group too small to publish is left out, and the table says so)."""
    who = _require(by, organisation, "make population tables", action="community.population")
    provider = policy.provider_of(source)
    if provider is None or provider.pk != organisation.pk:
        raise CommunityError(
            f"The service's users are taken from {organisation.name}'s own sources; "
            f"'{source}' is not one of them."
        )
    if not title.strip() or not kinds or since > until:
        raise CommunityError("Give the table a title, the kinds of event, and a period.")
    counted = service_users.by_ethnicity(source, kinds, since, until)
    if not counted.rows:
        raise CommunityError(
            "No group of children is large enough to publish for that source, kind and period."
        )
    left_out = (
        f"; left out as too few to publish: {', '.join(counted.withheld)}"
        if counted.withheld
        else ""
    )
    table = PopulationTable.objects.create(
        organisation=organisation,
        title=title.strip(),
        source=(
            f"{source}: children with {', '.join(kinds)} between {since:%d %B %Y} and "
            f"{until:%d %B %Y}, by ethnic group{left_out}"
        ),
        loaded_by=who,
    )
    PopulationRow.objects.bulk_create(
        PopulationRow(table=table, dimension=Dimension.ETHNICITY, group=g, count=n)
        for g, n in counted.rows
    )
    audit.record(
        actor=who,
        action="community.population",
        target=table.title,
        detail={"table": table.pk, "rows": len(counted.rows), "from": source},
    )
    return table


@writes.action
def start_engagement(
    *,
    organisation: Organisation,
    title: str,
    question: str,
    started_on: date,
    by: User,
    indicator: str = "",
    population: PopulationTable | None = None,
    initiative: Initiative | None = None,
) -> Engagement:
    """An engagement: the question the service wants the community's help with."""
    who = _require(by, organisation, "start engagements", action="community.engagement")
    if not title.strip() or not question.strip():
        raise CommunityError("Give the engagement a title and the question you are asking.")
    if indicator and indicator not in data.indicators():
        raise CommunityError(f"There is no indicator '{indicator}' in the place's library.")
    if population is not None and population.organisation_id != organisation.pk:
        raise CommunityError("Choose a population table your organisation loaded.")
    if initiative is not None and initiative.organisation_id != organisation.pk:
        raise CommunityError("Choose an initiative your organisation leads.")
    base = slugify(title)[:60] or "engagement"
    slug, n = base, 1
    while Engagement.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    engagement = Engagement.objects.create(
        organisation=organisation,
        slug=slug,
        title=title.strip(),
        question=question.strip(),
        indicator=indicator,
        population=population,
        initiative=initiative,
        started_on=started_on,
        created_by=who,
    )
    audit.record(
        actor=who,
        action="community.engagement",
        target=engagement.title,
        detail={
            "engagement": engagement.pk,
            "indicator": indicator or None,
            "initiative": initiative.pk if initiative else None,
        },
    )
    return engagement


@writes.action
def add_session(
    *,
    engagement: Engagement,
    held_on: date,
    mode: str,
    groups: str,
    facilitators: str,
    participants: int,
    counts: Mapping[str, Mapping[str, int]],
    by: User,
    venue: str = "",
    accessibility: str = "",
    languages: str = "",
) -> Session:
    """A session and how many of its participants were in each group (counts, never people).
    Each dimension's counts may not add up to more than the people who took part; the rest are
    'not known'."""
    who = _require(by, engagement.organisation, "record sessions", action="community.session")
    if mode not in Session.Mode.values:
        raise CommunityError("Say whether the session was in person or online.")
    if not groups.strip() or not facilitators.strip():
        raise CommunityError("Name the groups involved and who facilitated.")
    if held_on < engagement.started_on:
        raise CommunityError(
            f"The session cannot be before the engagement began ({engagement.started_on:%-d %B %Y})."
        )
    for dimension, by_group in counts.items():
        if dimension not in Dimension.values:
            raise CommunityError(f"There is no dimension '{dimension}'.")
        if any(n < 0 for n in by_group.values()):
            raise CommunityError("Counts cannot be negative.")
        total = sum(by_group.values())
        if total > participants:
            raise CommunityError(
                f"{Dimension(dimension).label}: the groups add up to {total}, more than the "
                f"{participants} people who took part."
            )
    session = Session.objects.create(
        engagement=engagement,
        held_on=held_on,
        mode=mode,
        venue=venue.strip(),
        groups=groups.strip(),
        facilitators=facilitators.strip(),
        accessibility=accessibility.strip(),
        languages=languages.strip(),
        participants=participants,
    )
    Attendance.objects.bulk_create(
        Attendance(session=session, dimension=d, group=g.strip(), count=n)
        for d, by_group in counts.items()
        for g, n in by_group.items()
        if n
    )
    audit.record(
        actor=who,
        action="community.session",
        target=str(session),
        detail={"session": session.pk, "participants": participants},
    )
    return session


@writes.action
def record_contact(
    *, engagement: Engagement, name: str, how: str, consent: str, delete_on: date, by: User
) -> Contact:
    """Contact details a participant chose to leave, with what they agreed to and when they go."""
    who = _require(
        by, engagement.organisation, "record contact details", action="community.contact"
    )
    if not name.strip() or not how.strip():
        raise CommunityError("Enter the name and how they would like to be contacted.")
    if not consent.strip():
        raise CommunityError("Record what the participant agreed we may contact them about.")
    contact = Contact.objects.create(
        engagement=engagement,
        name=name.strip(),
        how=how.strip(),
        consent=consent.strip(),
        delete_on=delete_on,
        recorded_by=who,
    )
    # Never the name or details themselves: the log outlives the contact.
    audit.record(
        actor=who,
        action="community.contact",
        target=engagement.title,
        detail={"contact": contact.pk, "delete_on": delete_on.isoformat()},
    )
    return contact


@writes.action
def forget_contact(*, contact: Contact, by: User) -> None:
    """Delete one participant's contact details now (they asked, or they are no longer needed)."""
    who = _require(
        by,
        contact.engagement.organisation,
        "delete contact details",
        action="community.contact_deleted",
    )
    audit.record(
        actor=who,
        action="community.contact_deleted",
        target=contact.engagement.title,
        detail={"contact": contact.pk},
    )
    contact.delete()


@writes.action
def forget_contacts_due(*, today: date, by: User) -> int:
    """Delete every participant's contact details whose deletion date has come (the retention
    job's part: jobs/housekeeping.py calls it)."""
    due = Contact.objects.filter(delete_on__lte=today)
    count = due.count()
    due.delete()
    if count:
        audit.record(
            actor=by.get_username(),
            action="community.contacts_expired",
            target=f"{count} contact{'s' if count != 1 else ''}",
            detail={"deleted": count, "today": today.isoformat()},
        )
    return count


@writes.action
def record_voice(
    *, engagement: Engagement, words: str, by: User, session: Session | None = None
) -> Voice:
    """What a participant said, in their words, with no name."""
    who = _require(by, engagement.organisation, "record what people said", action="community.voice")
    if not words.strip():
        raise CommunityError("Write what the participant said, in their words.")
    if session is not None and session.engagement_id != engagement.pk:
        raise CommunityError("That session belongs to another engagement.")
    voice = Voice.objects.create(
        engagement=engagement, session=session, words=words.strip(), recorded_by=who
    )
    audit.record(
        actor=who, action="community.voice", target=engagement.title, detail={"voice": voice.pk}
    )
    return voice


@writes.action
def add_theme(*, engagement: Engagement, title: str, summary: str, by: User) -> Theme:
    """A theme facilitators drew from what people said."""
    who = _require(
        by, engagement.organisation, "group voices into themes", action="community.theme"
    )
    if not title.strip():
        raise CommunityError("Give the theme a title.")
    theme = Theme.objects.create(
        engagement=engagement, title=title.strip(), summary=summary.strip(), created_by=who
    )
    audit.record(
        actor=who, action="community.theme", target=engagement.title, detail={"theme": theme.pk}
    )
    return theme


@writes.action
def place_voice(*, voice: Voice, theme: Theme | None, by: User) -> Voice:
    """Put a voice under a theme of the same engagement (or take it out of any)."""
    who = _require(
        by,
        voice.engagement.organisation,
        "group voices into themes",
        action="community.voice_placed",
    )
    if theme is not None and theme.engagement_id != voice.engagement_id:
        raise CommunityError("That theme belongs to another engagement.")
    voice.theme = theme
    voice.save(update_fields=["theme"])
    audit.record(
        actor=who,
        action="community.voice_placed",
        target=voice.engagement.title,
        detail={"voice": voice.pk, "theme": theme.pk if theme else None},
    )
    return voice


@writes.action
def propose(*, theme: Theme, text: str, by: User) -> Proposal:
    """A proposal drawn from a theme."""
    who = _require(by, theme.engagement.organisation, "make proposals", action="community.proposal")
    if not text.strip():
        raise CommunityError("Write the proposal.")
    proposal = Proposal.objects.create(theme=theme, text=text.strip(), created_by=who)
    audit.record(
        actor=who,
        action="community.proposal",
        target=theme.engagement.title,
        detail={"proposal": proposal.pk},
    )
    return proposal


@writes.action
def respond(
    *,
    proposal: Proposal,
    response: str,
    on: date,
    by: User,
    reason: str = "",
    description: str = "",
    owner: str = "",
    due_on: date | None = None,
    direction: str = "",
) -> Proposal:
    """The service's answer to a proposal: adopted or adapted (an action in the one follow-up
    engine, measured by the engagement's indicator), or not taken forward, with the reason."""
    engagement = proposal.theme.engagement
    who = _require(by, engagement.organisation, "respond to proposals", action="community.response")
    if proposal.response != Proposal.Response.PENDING:
        raise CommunityError(
            f"This proposal was answered on {proposal.responded_on:%-d %B %Y}: "
            f"{proposal.get_response_display().lower()}."
        )
    if response not in Proposal.Response.values or response == Proposal.Response.PENDING:
        raise CommunityError("Choose adopted, adapted or not taken forward.")
    if response == Proposal.Response.NOT_TAKEN and not reason.strip():
        raise CommunityError("Say why the proposal is not being taken forward.")
    if response == Proposal.Response.ADAPTED and not reason.strip():
        raise CommunityError("Say how the proposal was adapted, and why.")
    action = None
    if response != Proposal.Response.NOT_TAKEN:
        if not engagement.indicator:
            raise CommunityError(
                "The engagement names no indicator, so an action from it has nothing to "
                "measure it by: name the indicator it should move on the engagement first."
            )
        if due_on is None:
            raise CommunityError("Say when the action is due.")
        try:
            action = follow_up_engine.agree_action(
                origin=Action.Origin.CO_DESIGN,
                organisation=engagement.organisation,
                agreed_at=f"Co-design: {engagement.title}",
                agreed_on=on,
                description=description or proposal.text,
                owner=owner,
                due_on=due_on,
                direction=direction,
                measure=Action.Measure.INDICATOR,
                indicator=engagement.indicator,
                team=PLACE,
                by=by,
            )
        except follow_up_engine.ReviewError as refused:
            raise CommunityError(str(refused)) from None
    proposal.response = response
    proposal.reason = reason.strip()
    proposal.responded_on = on
    proposal.action = action
    proposal.save(update_fields=["response", "reason", "responded_on", "action"])
    audit.record(
        actor=who,
        action="community.response",
        target=engagement.title,
        detail={
            "proposal": proposal.pk,
            "response": response,
            "action": action.pk if action else None,
        },
    )
    return proposal


@writes.action
def publish(*, engagement: Engagement, on: date, by: User) -> Engagement:
    """Open the engagement's "you said, we did" page to the public."""
    who = _require(by, engagement.organisation, "publish engagements", action="community.published")
    if not engagement.sessions.exists():
        raise CommunityError("Record at least one session before publishing what people said.")
    engagement.published_on = on
    engagement.save(update_fields=["published_on"])
    audit.record(
        actor=who,
        action="community.published",
        target=engagement.title,
        detail={"engagement": engagement.pk},
    )
    return engagement
