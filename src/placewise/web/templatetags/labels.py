"""Template filters for plain-English names: `{{ e.kind|event_kind }}`, `{{ e.action|audit_action }}`."""

from django import template

from placewise.web import labels

register = template.Library()
register.filter("event_kind", labels.event_kind)
register.filter("audit_action", labels.audit_action)


@register.filter
def event_kinds(codes: list[str]) -> str:
    """A list of kinds of event, named and joined with commas."""
    return ", ".join(labels.event_kind(c) for c in codes)
