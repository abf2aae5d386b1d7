"""The public "you said, we did" pages: no sign-in, rate-limited as the portal's pages are
(public.throttle.page_limited, answering an HTML page), read at request time, and
nothing on them about a person: who took part is shown quarter by quarter as counts that passed
disclosure control (queries.public_reach), what people said with no name, and what the service
did with each proposal and what the follow-up engine found since."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from placewise.community import queries, reach
from placewise.outcomes import data
from placewise.public import queries as portal
from placewise.public.charts import chart_of
from placewise.public.throttle import page_limited
from placewise.sharing import publication


@require_safe
@page_limited
def you_said_we_did_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "community/public_list.html", {"engagements": queries.published_list()[:200]}
    )


@require_safe
@page_limited
def you_said_we_did(request: HttpRequest, slug: str) -> HttpResponse:
    engagement = queries.published(slug)
    if engagement is None:  # an unknown and an unpublished engagement are alike
        raise Http404("There is no published engagement at this address.")
    reach_by_quarter = queries.public_reach(engagement, timezone.localdate())
    themes = engagement.themes.prefetch_related("voices", "proposals")
    figure = queries.published_figure(engagement)
    return render(
        request,
        "community/you_said_we_did.html",
        {
            "engagement": engagement,
            "sessions": engagement.sessions.all(),
            "quarters": reach_by_quarter,
            "took_part": queries.took_part_in_all(reach_by_quarter),
            "threshold": publication.threshold(),
            "rule": reach.RULE,
            "themes": themes,
            "outcomes": queries.outcomes(engagement),
            "indicator": data.indicators().get(engagement.indicator),
            "figure": figure,
            "chart": chart_of(figure) if figure else None,
            "months": portal.months(figure) if figure else [],
        },
    )
