"""A source's name as people say it. A source has a code (`council_csc`, `northshire_police`):
what files, mapping files, the command line and analysts use. Pages that people read show its
title instead ("Children's social care records"), through `title_of` (the template filter
`source_name`); the code appears only where an analyst needs it (loads, linkage, set-up).

The title comes from the mapping file (`[source] title = "..."`) or, for the council's statutory
returns and case system, readers.spec.COUNCIL_TITLE. A source registered before it had a title keeps its code
as its name until a load or a declaration gives one."""

from placewise.sources.models import Source


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
