"""A source's name as people say it. A source has a code (`council_csc`, `northshire_police`):
what files, mapping files, the command line and analysts use. Pages that people read show its
title instead ("Children's social care records"), through `title_of` (the template filter
`source_name`); the code appears only where an analyst needs it (loads, linkage, set-up).

The title comes from the mapping file (`[source] title = "..."`) or, for the council's statutory
returns and case system, readers.spec.COUNCIL_TITLE. A source registered before it had a title keeps its code
as its name until a load or a declaration gives one. After that only `rename_source` changes it: its
organisation's data owner, an administrator or the operator at the command line, on purpose."""

from django.contrib.auth.models import User
from django.db.models import Q

from placewise.sharing import actors, audit, writes
from placewise.sharing.access import AccessDenied
from placewise.sharing.models import Membership
from placewise.sharing.permissions import Role
from placewise.sources.models import Source

# Source.title's column: a longer name is refused, never cut short without saying.
LONGEST = 200


def title_of(source: str | Source) -> str:
    """The source's name as people say it; its code if it has no title (or is not registered).
    Given by code, or as the registered source itself (no query)."""
    if isinstance(source, Source):
        return source.title or source.name
    found = Source.objects.filter(name=source).values_list("title", flat=True).first()
    return found or source


def give_title(source: Source, title: str) -> None:
    """Give a registered source the title a file or declaration names, if it has none yet: a
    title, once given, is changed only on purpose, never by whichever file comes next. Called
    inside the action that registers or loads the source."""
    if title.strip() and not source.title:
        Source.objects.filter(pk=source.pk, title="").update(title=title.strip()[:200])


class RenameRefused(ValueError):
    """A name a source cannot be given, with the reason the person is shown."""


def why_not_rename(person: User, source: Source) -> str | None:
    """None if this person may rename the source, otherwise why not: only the data owner of the
    organisation providing it, an administrator, or the operator at the command line (who holds
    the place's secrets already) may. Whoever holds the role now, as for an agreement's status."""
    if actors.is_command_line(person):
        return None
    held = Membership.objects.filter(user=person, user__is_active=True)
    if held.filter(
        Q(role=Role.ADMINISTRATOR) | Q(role=Role.DATA_OWNER, organisation_id=source.organisation_id)
    ).exists():
        return None
    return (
        f"Only the data owner of {source.organisation.name}, or an administrator, can rename "
        f"'{title_of(source)}'."
    )


def why_not_title(source: Source, title: str) -> str | None:
    """None if the source may be called `title`, otherwise why not, in words for the form."""
    if not title.strip():
        return "Enter the name people use for this source"
    if len(title.strip()) > LONGEST:
        return f"The name must be {LONGEST} characters or fewer; this one is {len(title.strip())}"
    # Two sources with one name could not be told apart on any page that shows them: a source
    # with no title yet is shown by its code, so its code counts as its name here.
    wanted = title.strip().casefold()
    for other in Source.objects.exclude(pk=source.pk).select_related("organisation"):
        if title_of(other).casefold() == wanted:
            return (
                f"'{title_of(other)}' is already the name of another source, from "
                f"{other.organisation.name}: choose a name people can tell apart from it"
            )
    return None


@writes.action
def rename_source(*, source: Source, title: str, by: User) -> Source:
    """Give the source a new name as people say it; its code, what files and analysts use, stays.

    Pages read the title when they are drawn (`title_of`), and no cached figure holds it, so the
    data version is not bumped: the next page shows the new name."""
    refusal = why_not_rename(by, source)
    if refusal:
        audit.record(
            actor=by.get_username(),
            action="source.rename",
            target=source.name,
            allowed=False,
            reason=refusal,
        )
        raise AccessDenied(refusal)
    # The source's row only: its organisation is read, not changed.
    found = (
        Source.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=source.pk)
    )
    wrong = why_not_title(found, title)
    if wrong:
        raise RenameRefused(wrong)
    before, after = found.title, title.strip()
    if after == before:
        return found  # nothing changes, so nothing to record
    Source.objects.filter(pk=found.pk).update(title=after)
    audit.record(
        actor=by.get_username(),
        action="source.rename",
        target=found.name,
        allowed=True,
        reason=f"{found.organisation.name} provides the source '{found.name}'.",
        detail={"from": before, "to": after},
    )
    found.refresh_from_db()
    return found
