"""Outcomes: the place overview, an indicator's page with its SPC chart, and the team comparison.

Indicators are aggregates. A viewer sees an indicator only when every source it counts is theirs
or shared with them under an agreement in force; when a source is not their organisation's own,
they see the place only, and what they see of it is published through `sharing.publication`
(counts under the threshold withheld, with everything worked out from them).
"""

from datetime import date
from typing import Any, NoReturn

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from placewise.governance.queries import signed_in
from placewise.indicators import funnel, signals, spc
from placewise.indicators.export import PLACE
from placewise.indicators.library import AREAS, Indicator
from placewise.outcomes import actions, data, downloads, members
from placewise.outcomes.charts import possible, signal_chart
from placewise.outcomes.models import StepChange
from placewise.outcomes.visibility import View, figure, visible
from placewise.sharing import audit, policy, publication
from placewise.sharing.access import AccessDenied, permission, require
from placewise.sharing.models import Agreement
from placewise.sharing.permissions import Permission
from placewise.sharing.publication import PublishedSeries
from placewise.web.charts import funnel_chart

FUNNEL_MONTHS = 12


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Every indicator the viewer may see, by area, each with its state for the place and each
    team they may see: a signal, common cause, withheld, or not charted yet and why. Filtered by
    team and searched by words in the title or the question."""
    require(request.user, Permission.OUTCOMES_VIEW)
    views, hidden = visible(request.user)
    every = data.all_signals()
    teams = sorted({s.team for s in every if s.team != PLACE and _full(views, s.indicator.key)})
    team = request.GET.get("team", "")
    team = team if team in (PLACE, *teams) else ""  # "": the place and every team
    words = request.GET.get("q", "").strip()
    # What partners see of each series is worked out once for all partners; only when needed.
    partners = data.published_for_partners() if not all(v.full for v in views.values()) else {}
    groups: dict[str, list[dict[str, Any]]] = {
        "concern": [],
        "improvement": [],
        "common cause": [],
        "withheld": [],
    }
    by_indicator: dict[str, list[dict[str, Any]]] = {}
    for signal in every:
        view = views.get(signal.indicator.key)
        if view is None or (signal.team != PLACE and not view.full):
            continue
        if (team and signal.team != team) or not _matches(view.indicator, words):
            continue
        published = data.published(signal, full=view.full, partners=partners)
        entry: dict[str, Any] = {
            "signal": published,
            "where": "The place" if signal.team == PLACE else f"Team {signal.team}",
            "state": published.variation or "withheld",
            "latest": figure(signal.indicator, published.latest.value),
            "period": published.latest.period,
        }
        groups[entry["state"]].append(entry)
        by_indicator.setdefault(signal.indicator.key, []).append(entry)
    charted = {(s.indicator.key, s.team) for s in every}
    months = data.months_charted()
    waiting: list[dict[str, Any]] = [
        {"indicator": view.indicator, "state": not_charted(key, PLACE, months)}
        for key, view in sorted(views.items(), key=lambda kv: kv[1].indicator.title)
        if (key, PLACE) not in charted and team in ("", PLACE) and _matches(view.indicator, words)
    ]
    for w in waiting:
        by_indicator.setdefault(w["indicator"].key, []).append(
            {"where": "The place", "state": "waiting", "why": w["state"]}
        )
    areas = [
        {
            "key": area,
            "title": title,
            "indicators": [
                {"indicator": views[key].indicator, "entries": by_indicator[key]}
                for key in sorted(by_indicator, key=lambda k: views[k].indicator.title)
                if views[key].indicator.area == area
            ],
        }
        for area, title in AREAS.items()
    ]
    return render(
        request,
        "outcomes/overview.html",
        {
            "areas": [a for a in areas if a["indicators"]],
            "groups": groups,
            "counts": {
                "concern": len(groups["concern"]),
                "improvement": len(groups["improvement"]),
                "common": len(groups["common cause"]),
                "withheld": len(groups["withheld"]),
            },
            "hidden": hidden,
            "waiting": waiting,
            "teams": teams,
            "team": team,
            "q": words,
            "any": bool(by_indicator),
            "filtered": bool(team or words),
        },
    )


def _full(views: dict[str, View], key: str) -> bool:
    return key in views and views[key].full


def _matches(indicator: Indicator, words: str) -> bool:
    """Every word appears in the indicator's title or question (case ignored)."""
    text = f"{indicator.title} {indicator.question}".lower()
    return all(word in text for word in words.lower().split())


def not_charted(key: str, team: str, months: dict[tuple[str, str], int] | None = None) -> str:
    """Why an indicator the viewer may see has no chart for this team or the place yet: in
    months, never in counts of children (the reason is shown to partners too)."""
    found = (months if months is not None else data.months_charted()).get((key, team), 0)
    if found < signals.MIN_POINTS:
        return f"Not enough data yet: needs {signals.MIN_POINTS} months, has {found}."
    return (
        "Too few cases a month to read as a chart (fewer than "
        f"{signals.MIN_MEDIAN_DENOMINATOR} in a typical month): it is charted once there are more."
    )


@login_required
def indicator(request: HttpRequest, key: str) -> HttpResponse:
    view, team = _view_and_team(request, key)
    may_record = permission(request.user, Permission.REVIEW_RUN).allowed and view.full
    may_see_children = permission(request.user, Permission.PERSON_VIEW).allowed
    step_error = ""
    if request.method == "POST" and may_record:
        try:
            period = date.fromisoformat(f"{request.POST.get('period', '')}-01")
            actions.record_step(
                indicator=key,
                team=team,
                period=period,
                reason=request.POST.get("reason", ""),
                by=signed_in(request),
            )
        except ValueError:
            step_error = "Enter the month the change began, like 2025-04."
        except actions.StepError as error:
            step_error = str(error)
        else:
            messages.success(
                request, "Step change recorded: the limits are re-based from that month."
            )
            return redirect(f"{request.path}?team={team}")
    series = [s for s in data.all_signals() if s.indicator.key == key]
    teams = [s.team for s in series if view.full or s.team == PLACE]
    signal = next((s for s in series if s.team == team), None)
    context: dict[str, Any] = {
        "indicator": view.indicator,
        "team": team,
        "teams": teams,
        "may_record": may_record,
        "may_see_children": may_see_children,
        "step_error": step_error,
        "steps": StepChange.objects.filter(indicator=key, team=team).order_by("period"),
        "not_charted": not_charted(key, team) if signal is None else "",
        "threshold": publication.threshold(),
    }
    if signal is not None:
        published = data.published(signal, full=view.full)
        rows = [_row(view.indicator, month) for month in published.months]
        where = "the place" if team == PLACE else f"Team {team}"
        context |= {
            "signal": published,
            "rows": rows,
            "nothing_published": all(m.value is None for m in published.months),
            "rebase": _rebase(signal) if may_record else None,
            "chart": signal_chart(
                published,
                shown=[str(r["value"]) for r in rows],
                title=f"{view.indicator.title}, {where}, by month",
                description=published.highlight,
            ),
        }
    return render(request, "outcomes/indicator.html", context, status=400 if step_error else 200)


@login_required
def indicator_csv(request: HttpRequest, key: str) -> HttpResponse:
    """The series the page shows, as CSV (outcomes/downloads.py); audited like an export."""
    view, team = _view_and_team(request, key)
    signal = next((s for s in data.all_signals() if (s.indicator.key, s.team) == (key, team)), None)
    if signal is None:
        raise Http404(not_charted(key, team) or "No series for that team.")
    published = data.published(signal, full=view.full)
    response = HttpResponse(downloads.series_csv(published), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{downloads.file_name(key, team)}"'
    audit.record(
        actor=request.user.get_username(),
        action="indicators.download",
        target=f"{key} ({team})",
        detail={"months": len(published.months), "withheld": published.withheld_months},
    )
    return response


def _view_and_team(request: HttpRequest, key: str) -> tuple[View, str]:
    """What the viewer may see of this indicator, and the team asked for: the place for anyone
    who does not own every source it counts (partners see the place only)."""
    require(request.user, Permission.OUTCOMES_VIEW)
    views, _ = visible(request.user)
    view = views.get(key)
    if view is None:
        _refuse_or_404(key)
    team = request.GET.get("team", PLACE)
    return view, team if view.full else PLACE


def _rebase(signal: signals.Signal) -> dict[str, Any] | None:
    """A suggested step change where a run has lasted a year to the latest month."""
    start = spc.sustained_shift(signal.chart)
    if start is None:
        return None
    months = sum(1 for p in signal.chart.points if p.period >= start.period)
    return {
        "period": start.period,
        "months": months,
        "side": "above" if spc.sustained_side(signal.chart) > 0 else "below",
    }


def _row(indicator: Indicator, month: publication.Month) -> dict[str, Any]:
    """One month of the indicator's table: `[c]` wherever the publication withheld a figure."""

    def count(value: float | None) -> str:
        return "[c]" if value is None else f"{value:g}"

    return {
        "period": month.period,
        "numerator": count(month.numerator),
        "denominator": count(month.denominator),
        "value": figure(indicator, month.value),
        "mean": figure(indicator, month.mean),
        "lower": figure(indicator, possible(indicator, month.lower)),
        "upper": figure(indicator, possible(indicator, month.upper)),
        "rules": ", ".join(r.replace("_", " ") for r in month.rules),
        "withheld": month.withheld,
    }


@login_required
def teams(request: HttpRequest, key: str) -> HttpResponse:
    require(request.user, Permission.OUTCOMES_VIEW)
    views, _ = visible(request.user)
    view = views.get(key)
    if view is None:
        _refuse_or_404(key)
    if not view.indicator.is_proportion:
        raise Http404("Teams are compared on proportions only.")
    rows = [r for r in data.table() if r.indicator == key and r.team != PLACE]
    last = max((r.period for r in rows), default=None)
    context: dict[str, Any] = {"indicator": view.indicator, "full": view.full}
    if last is not None and view.full:
        months = last.year * 12 + last.month - 1 - (FUNNEL_MONTHS - 1)
        since = date(months // 12, months % 12 + 1, 1)
        totals: dict[str, list[float]] = {}
        for r in rows:
            if r.period >= since:
                t = totals.setdefault(r.team, [0.0, 0.0])
                t[0] += r.numerator
                t[1] += r.denominator
        teams_ = [funnel.Team(team, k, n) for team, (k, n) in sorted(totals.items())]
        centre = funnel.centre(teams_)
        context |= {
            "since": since,
            "last": last,
            "funnel": funnel_chart(
                teams_,
                title=f"{view.indicator.title}: teams against volume, {since:%B %Y} to {last:%B %Y}",
                description="Each team's proportion against its volume, with the place's funnel limits.",
            ),
            "table": [
                {
                    "team": t.name,
                    "numerator": f"{t.numerator:g}",
                    "denominator": f"{t.denominator:g}",
                    "value": figure(view.indicator, t.proportion),
                    "outside": funnel.outlier(t, centre),
                }
                for t in teams_
            ],
        }
    return render(request, "outcomes/teams.html", context)


# Asked once per session: agreements are purpose-bound, so the children shown depend on it.
PURPOSE_KEY = "outcomes_children_purpose"


@login_required
def children(request: HttpRequest, key: str) -> HttpResponse:
    """The children behind one month's figure, for those whose agreements let them see people:
    one audited policy decision per source the indicator counts."""
    require(request.user, Permission.OUTCOMES_VIEW)
    require(request.user, Permission.PERSON_VIEW)
    views, _ = visible(request.user)
    view = views.get(key)
    if view is None:
        _refuse_or_404(key)
    try:
        period = date.fromisoformat(f"{request.GET.get('period', '')}-01")
    except ValueError:
        raise Http404("Choose a month from the indicator's table.") from None
    # The same rules as the indicator's page: partners see the place only.
    team = request.GET.get("team", PLACE) if view.full else PLACE
    asked = request.GET.get("purpose")
    if asked in Agreement.Purpose.values:
        request.session[PURPOSE_KEY] = asked
    elif asked:
        # A purpose nobody can choose from the list is refused, never read as the last one given.
        raise AccessDenied(f"'{asked}' is not a purpose an agreement can be made for: choose one.")
    purpose = request.session.get(PURPOSE_KEY, "")
    context: dict[str, Any] = {
        "indicator": view.indicator,
        "period": period,
        "team": team,
        "where": "the place" if team == PLACE else f"Team {team}",
        "purposes": Agreement.Purpose.choices,
        "purpose": purpose,
    }
    if not purpose:
        return render(request, "outcomes/children.html", context)
    withheld = _withheld_month(view, team, period)
    if withheld:
        # A list of the children would give the withheld count back.
        raise AccessDenied(
            f"The figure for {period:%B %Y} is withheld from your organisation ({withheld}), "
            "so the children behind it are not listed."
        )
    subject = f"children behind {key}, {period:%B %Y}, {context['where']}"
    shown, refused = set(), []
    for source in sorted(data.sources_of(view.indicator)):
        access = policy.decide(request.user, source=source, purpose=purpose, subject=subject)
        if access.allowed:
            shown.add(source)
        else:
            refused.append({"provider": access.provider or source, "reason": access.reason})
    found = members.with_references(members.members(view.indicator, period, team), shown)
    names = {s: (p.name if (p := policy.provider_of(s)) else s) for s in shown}
    context |= {
        "members": [
            {
                "counted": _counted(view.indicator, m),
                "records": [
                    {"source": s, "provider": names[s], "reference": r} for s, r in m.records
                ],
            }
            for m in found
        ],
        "in_numerator": sum(m.counted for m in found) if view.indicator.is_proportion else None,
        "counted_total": sum(m.of for m in found),
        "withheld": sum(1 for m in found if not m.records),
        "refused": refused,
        "purpose_label": Agreement.Purpose(purpose).label,
    }
    return render(request, "outcomes/children.html", context)


def _withheld_month(view: View, team: str, period: date) -> str:
    """Why this month's figure is withheld from the viewer ("" when it is published)."""
    signal = next(
        (s for s in data.all_signals() if s.indicator.key == view.indicator.key and s.team == team),
        None,
    )
    if signal is None:
        return "" if view.full else "there is no published figure for it"
    published: PublishedSeries = data.published(signal, full=view.full)
    month = next((m for m in published.months if m.period == period), None)
    if month is None:
        return "" if view.full else "there is no published figure for it"
    return month.withheld


def _counted(indicator: Indicator, member: members.Member) -> str:
    if not indicator.is_proportion:
        return figure(indicator, member.counted) if indicator.method == "mean_value" else "Yes"
    if member.of == 1:
        return "Yes" if member.counted else "No"
    return f"{member.counted:g} of {member.of:g}"


def _refuse_or_404(key: str) -> NoReturn:
    if key in data.indicators():
        raise AccessDenied(
            "This indicator counts data that no agreement in force shares with your organisation."
        )
    raise Http404("No such indicator.")
