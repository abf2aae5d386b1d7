"""The indicator page suggests re-basing a series whose run has lasted a year (issue 15, item 8),
and one step records it."""

import pytest
from django.urls import reverse

from placewise.indicators import spc
from placewise.outcomes import data
from placewise.outcomes.models import StepChange

pytestmark = pytest.mark.django_db


def test_a_year_long_run_is_offered_as_a_step_change_and_one_post_records_it(
    client, people, outcome_loaded
):
    candidates = [
        (s, spc.sustained_shift(s.chart))
        for s in data.all_signals()
        if s.team == "Place" and spc.sustained_shift(s.chart) is not None
    ]
    assert candidates, "the synthetic place has a series below (or above) its mean for a year"
    signal, start = candidates[0]
    url = reverse("outcomes:indicator", args=[signal.indicator.key])
    client.force_login(people["alice"])
    page = client.get(url)
    assert page.context["rebase"]["period"] == start.period
    assert f"Re-base the limits from {start.period:%B %Y}" in page.content.decode()
    client.post(url + "?team=Place", {"period": f"{start.period:%Y-%m}", "reason": "new triage"})
    step = StepChange.objects.get()
    assert (step.indicator, step.period, step.reason) == (
        signal.indicator.key,
        start.period,
        "new triage",
    )
    # Re-based from there, the run is judged against its own mean: no suggestion any more.
    assert client.get(url).context["rebase"] is None
