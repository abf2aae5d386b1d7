"""Reads about loads, for the Data area and `placewise status`."""

from typing import Any

from django.db.models import Count, Max, QuerySet, Sum

from placewise.sharing.models import Organisation
from placewise.sources.models import Load
from placewise.store import stores


def loads_for(organisations: tuple[Organisation, ...]) -> QuerySet[Load]:
    """Loads the given organisations made."""
    return Load.objects.select_related("organisation").filter(organisation__in=organisations)


def sources_for(organisations: tuple[Organisation, ...]) -> list[dict[str, Any]]:
    """Per source: its organisation, loads, rows and events loaded, the events later loads of it
    replaced, and when it last loaded."""
    rows = (
        loads_for(organisations)
        .filter(status=Load.Status.LOADED)
        .values("source", "organisation__name")
        .annotate(
            loads=Count("id"),
            rows=Sum("rows_loaded"),
            events=Sum("events"),
            identities=Sum("identities"),
            last=Max("started_at"),
        )
        .order_by("organisation__name", "source")
    )
    found = list(rows)
    # What later loads replaced, from each load's record of its changes (ADR 0016): summed here,
    # as JSON fields are summed differently by each database.
    replaced: dict[str, int] = {}
    for source, changes in (
        loads_for(organisations).filter(status=Load.Status.LOADED).values_list("source", "changes")
    ):
        events = (changes or {}).get("events") or {}
        replaced[source] = replaced.get(source, 0) + int(events.get("replaced") or 0)
    for row in found:
        row["replaced"] = replaced.get(row["source"], 0)
    return found


def status() -> dict[str, Any]:
    """Loads (each with the period it covers and what it changed), rows per store, and per
    source and kind of event the events held now and those later loads replaced."""
    return {
        "stores": stores.counts(),
        "events_held": stores.events_held(),
        "loads": [
            {
                "id": load.pk,
                "file_name": load.file_name,
                "format": load.format,
                "detail": load.detail,
                "source": load.source,
                "status": load.status,
                "rows_read": load.rows_read,
                "rows_loaded": load.rows_loaded,
                "rows_rejected": load.rows_rejected,
                "identities": load.identities,
                "events": load.events,
                "loaded_by": load.loaded_by_name,
                "started_at": load.started_at.isoformat(),
                "period": [
                    load.period_start.isoformat() if load.period_start else None,
                    load.period_end.isoformat() if load.period_end else None,
                ],
                "changes": load.changes,
            }
            for load in Load.objects.order_by("id")
        ],
    }
