"""A place project's indicators on their SPC charts since the project started: the outcomes app's
chart code, fed through the one publication path (sharing.publication via outcomes.data), as the
viewer may see each series."""

import dataclasses
from typing import Any

from placewise.initiatives.models import Initiative
from placewise.outcomes import data
from placewise.outcomes.charts import signal_chart
from placewise.outcomes.visibility import figure, visible
from placewise.sharing.access import permission
from placewise.sharing.permissions import Permission


def project_charts(initiative: Initiative, viewer: Any) -> list[dict[str, Any]]:
    """One entry per indicator the project should move: its chart since the start, or why not."""
    measures = list(initiative.measures.all())
    if not measures:
        return []
    if not permission(viewer, Permission.OUTCOMES_VIEW).allowed:
        return [
            {"measure": m, "why": "Your role does not include seeing indicators."} for m in measures
        ]
    views, _ = visible(viewer)
    signals = {(s.indicator.key, s.team): s for s in data.all_signals()}
    start = initiative.started_on.replace(day=1)
    found = []
    for m in measures:
        view = views.get(m.indicator)
        if view is None:
            found.append({"measure": m, "why": "Your organisation may not see this indicator."})
            continue
        team = m.team if view.full else "Place"
        signal = signals.get((m.indicator, team))
        if signal is None:
            found.append({"measure": m, "why": "There is no data for it yet."})
            continue
        published = data.published(signal, full=view.full)
        since = [month for month in published.months if month.period >= start]
        if not since:
            found.append({"measure": m, "why": f"No month since {start:%B %Y} has data yet."})
            continue
        shown = dataclasses.replace(published, months=since)
        where = "the place" if team == "Place" else f"Team {team}"
        found.append(
            {
                "measure": m,
                "title": view.indicator.title,
                "chart": signal_chart(
                    shown,
                    shown=[figure(view.indicator, month.value) for month in since],
                    title=f"{view.indicator.title}, {where}, since {start:%B %Y}",
                    description=published.highlight,
                ),
                "rows": [
                    {"period": month.period, "value": figure(view.indicator, month.value)}
                    for month in since
                ],
            }
        )
    return found
