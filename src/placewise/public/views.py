"""Pages anyone can read without signing in: what is shared, why, by whom, and how to opt out;
the figures the place publishes (only once a second person signed them off), their downloads,
the data strategy and how the figures are made."""

import csv
import io
import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from placewise.public import queries, throttle
from placewise.public.charts import chart_of
from placewise.public.models import PublishedFigure
from placewise.public.throttle import limited, page_limited
from placewise.sharing.models import Agreement, Party


@page_limited
def register(request: HttpRequest) -> HttpResponse:
    agreements = Agreement.objects.filter(status=Agreement.Status.ACTIVE).prefetch_related(
        "parties__organisation", "datasets__provider", "datasets__recipient"
    )
    owners = (
        Party.objects.filter(agreement__status=Agreement.Status.ACTIVE)
        .select_related("organisation", "data_owner")
        .order_by("organisation__name")
    )
    named = {
        p.organisation.name: p.data_owner.get_full_name() or p.data_owner.get_username()
        for p in owners
    }
    return render(
        request,
        "public/register.html",
        {
            "agreements": agreements,
            "owners": sorted(named.items()),
            "strategy": queries.strategy(),
            "figures": queries.published().count(),
        },
    )


@page_limited
def figures(request: HttpRequest) -> HttpResponse:
    """Every published figure, for the place first, then by area."""
    found = sorted(queries.published(), key=lambda f: (f.title, f.team != "Place", f.team))
    return render(request, "public/figures.html", {"figures": found})


def _published(pk: int) -> PublishedFigure:
    figure = queries.published_figure(pk)
    if figure is None:
        raise Http404("No published figure has this number.")
    return figure


@page_limited
def figure(request: HttpRequest, pk: int) -> HttpResponse:
    """One published figure: what it means, how it is counted, its chart and its table."""
    found = _published(pk)
    return render(
        request,
        "public/figure.html",
        {
            "figure": found,
            "months": queries.months(found),
            "columns": queries.columns(found),
            "chart": chart_of(found),
        },
    )


@limited
def figure_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The figure's months as CSV, its metadata in comment lines above the header."""
    found = _published(pk)
    out = io.StringIO()
    meta = queries.metadata(found)
    for key in ("title", "area", "meaning", "how_it_is_counted", "source", "units", "revision"):
        out.write(f"# {key}: {' '.join(str(meta[key]).split())}\n")
    out.write(f"# withheld: {meta['suppression']['mark']}\n")
    rows = queries.rows(found)
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["period"])
    writer.writeheader()
    writer.writerows(rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="figure-{found.pk}.csv"'
    return response


@limited
def figure_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The figure's metadata and months as JSON."""
    found = _published(pk)
    body = {"metadata": queries.metadata(found), "months": queries.rows(found)}
    response = HttpResponse(json.dumps(body, indent=1), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="figure-{found.pk}.json"'
    return response


@page_limited
def strategy(request: HttpRequest) -> HttpResponse:
    return render(request, "public/strategy.html", {"strategy": queries.strategy()})


@page_limited
def methodology(request: HttpRequest) -> HttpResponse:
    from placewise.sharing.publication import round_to, threshold

    return render(
        request, "public/methodology.html", {"threshold": threshold(), "round_to": round_to()}
    )


@page_limited
def your_data(request: HttpRequest) -> HttpResponse:
    return render(request, "public/your_data.html")


@page_limited
def open_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/open_data.html",
        {"figures": queries.published(), "per_minute": throttle.per_minute()},
    )
