"""A place project's page shows its indicators' SPC charts since the project started (issue 19,
item 4), through the one publication path: the council sees its own series, a partner sees the
same months with whatever the publication withholds from him withheld, and an indicator with no
data says so."""

import pytest
from django.urls import reverse

from placewise.initiatives import actions
from placewise.outcomes import data

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
CLOSURES = "case_closure_rate"


def test_the_project_page_charts_its_indicator_since_it_started(client, people, outcome_loaded):
    signal = next(s for s in data.all_signals() if (s.indicator.key, s.team) == (CLOSURES, "Place"))
    periods = [p.period for p in signal.chart.points]
    start = periods[len(periods) // 2]  # half way through the series
    project = actions.start(
        kind="project",
        name="Closing cases well",
        issue="Cases closed too soon",
        organisation=people["orgs"]["council"],
        started_on=start.replace(day=15),
        by=people["alice"],
    )
    actions.add_partner(
        initiative=project, organisation=people["orgs"]["health"], by=people["alice"]
    )
    actions.add_measure(
        initiative=project,
        indicator=CLOSURES,
        team="Place",
        direction="up",
        public_value=True,
        by=people["alice"],
    )
    actions.add_measure(
        initiative=project,
        indicator="adoption_a1",
        team="Place",
        direction="down",
        public_value=False,
        by=people["alice"],
    )
    since = [p for p in periods if p >= start]
    client.force_login(people["alice"])
    response = client.get(project.get_absolute_url())
    charts = response.context["charts"]
    assert [c["measure"].indicator for c in charts] == [CLOSURES, "adoption_a1"]
    assert [r["period"] for r in charts[0]["rows"]] == since
    assert f"since {start:%B %Y}" in charts[0]["chart"].title
    assert "<svg" in response.content.decode()
    assert charts[1].get("chart") is None and charts[1]["why"]
    # Bob, at the partner trust, sees the same months as the indicator's own page shows him.
    client.force_login(people["bob"])
    shown = {
        r["period"]: r["value"]
        for r in client.get(reverse("outcomes:indicator", args=[CLOSURES])).context["rows"]
    }
    rows = client.get(project.get_absolute_url()).context["charts"][0]["rows"]
    assert [(r["period"], r["value"]) for r in rows] == [(p, shown[p]) for p in since]
