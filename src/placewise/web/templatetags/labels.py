"""Template filters for plain-English names: `{{ e.kind|event_kind }}`, `{{ e.action|audit_action }}`,
`{{ e.source|source_name }}`."""

from django import template

from placewise.sources import naming
from placewise.web import labels

register = template.Library()
register.filter("event_kind", labels.event_kind)
register.filter("audit_action", labels.audit_action)


@register.filter
def event_kinds(codes: list[str]) -> str:
    """A list of kinds of event, named and joined with commas."""
    return ", ".join(labels.event_kind(c) for c in codes)


@register.filter
def source_name(source: str) -> str:
    """A source by its name as people say it, not its code (sources.naming)."""
    return naming.title_of(source)
