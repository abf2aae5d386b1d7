"""The cohort journey page: an aggregate, disclosure-controlled flow of the children referred in
a period, with what partners saw before and after."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from placewise.journeys import cohort
from placewise.journeys.forms import CohortForm
from placewise.outcomes import data
from placewise.sharing import audit, policy, publication
from placewise.sharing.access import AccessDenied, require
from placewise.sharing.permissions import Permission
from placewise.store.queries import run
from placewise.web.charts import flow_chart


@login_required
def cohort_journey(request: HttpRequest) -> HttpResponse:
    require(request.user, Permission.COHORT_VIEW)
    council = settings.PLACEWISE_COUNCIL_SOURCE
    visible = policy.aggregate_sources(request.user)
    if policy.provider_of(council) is None:
        # Nothing loaded from the council yet: an empty page, not a refusal that blames sharing.
        return render(request, "journeys/cohort.html", {"empty": True})
    if council not in visible:
        raise AccessDenied(
            "No agreement in force shares the council's children's social care data with "
            "your organisation, so its referrals cannot be counted for you."
        )
    span = data.cached(f"referral-dates:{council}", lambda: run(cohort.referral_dates(council))[0])
    if span["last"] is None:
        return render(request, "journeys/cohort.html", {"empty": True})
    default_end = span["last"]
    form = CohortForm(
        request.GET or None,
        initial={"start": default_end - timedelta(days=364), "end": default_end},
    )
    if request.GET and not form.is_valid():
        return render(request, "journeys/cohort.html", {"form": form}, status=400)
    start = form.cleaned_data["start"] if request.GET else default_end - timedelta(days=364)
    end = form.cleaned_data["end"] if request.GET else default_end
    partners = sorted(s for s in visible if s != council)
    # Only when every source counted is the viewer's own does nothing leave their organisation.
    full = all(visible[s].own for s in (council, *partners))

    def counted() -> tuple[int, cohort.Journey | None]:
        row = run(
            cohort.cohort_journey(start, end, council_source=council, partner_sources=partners)
        )[0]
        referred = int(row["referred"])
        return referred, cohort.publish(row, full=full) if referred else None

    # Disclosure control solves small linear programmes for every hidden cell: worth keeping.
    referred, journey = data.cached(f"cohort:{start}:{end}:{','.join(partners)}:{full}", counted)
    held = data.cached(
        f"cohort-kinds:{','.join(partners)}",
        lambda: {r["kind"] for r in run(cohort.kinds_held(partners))},
    )
    safe = journey.protected if journey else None
    labels = journey.rows if journey else cohort.rows()
    published = []
    for i, r in enumerate(labels):
        yes = safe.cells[i][0] if safe else 0
        percent = round(100 * yes / referred) if yes is not None and referred else None
        shared = not r.kinds or bool(held & set(r.kinds))
        published.append({"label": r.label, "yes": yes, "percent": percent, "shared": shared})
    total = safe.row_totals[0] if safe else 0
    audit.record(
        actor=request.user.get_username(),
        action="cohort.view",
        target=f"referrals {start} to {end}",
        detail={"sources": [council, *partners], "suppressed": safe.suppressed if safe else 0},
    )
    chart = flow_chart(
        total,
        [
            (r.label, safe.cells[i][0] if safe else 0)
            for i, r in enumerate(labels)
            if not r.kinds  # the council's steps; partners' rows are not steps
        ],
        title=f"What happened to the children referred from {start:%d %B %Y} to {end:%d %B %Y}",
        description=(
            "From the children referred on the left, a band to each step they went on to within "
            "12 months; band thickness is the number of children."
        ),
        source_label="Children referred",
    )
    return render(
        request,
        "journeys/cohort.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "referred": total,
            "rows": published,
            "chart": chart,
            "partners": [(s, visible[s].reason) for s in partners],
            "threshold": publication.threshold(),
            "full": full,
            "steps": len(cohort.STEPS) + 1,
            "grouped": journey.grouped if journey else [],
        },
    )
