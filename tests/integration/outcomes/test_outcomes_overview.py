"""Outcomes lists every indicator the viewer may see by area, with its state, filtered by team
and searched (issue 15, item 2)."""

import pytest
from django.urls import reverse

from placewise.indicators import library
from placewise.outcomes import data

pytestmark = pytest.mark.django_db


def _listed(response) -> dict[str, set[str]]:
    return {
        row["indicator"].key: {e["where"] for e in row["entries"]}
        for area in response.context["areas"]
        for row in area["indicators"]
    }


def test_every_indicator_with_data_is_listed_under_its_area(client, people, outcome_loaded):
    client.force_login(people["alice"])
    response = client.get(reverse("outcomes:overview"))
    listed = _listed(response)
    with_data = {key for key, i in library.load().items() if data.sources_of(i)}
    assert with_data == set(listed)
    areas = {
        a["key"]: {r["indicator"].key for r in a["indicators"]} for a in response.context["areas"]
    }
    # From library.toml, by hand: ICPCs are help and protection; care leavers, their own area.
    assert "icpc_within_15_days" in areas["help_and_protection"]
    assert "care_leavers_in_touch" in areas["care_leavers"]
    text = response.content.decode()
    assert "Help and protection" in text and "Not charted yet" in text


def test_filtered_by_team_and_searched(client, people, outcome_loaded):
    client.force_login(people["alice"])
    team = client.get(reverse("outcomes:overview")).context["teams"][0]
    one_team = _listed(client.get(reverse("outcomes:overview"), {"team": team}))
    assert one_team and all(where == {f"Team {team}"} for where in one_team.values())
    found = _listed(client.get(reverse("outcomes:overview"), {"q": "care leavers"}))
    assert found and all(k.startswith("care_leavers") for k in found)
    none = client.get(reverse("outcomes:overview"), {"q": "no such words anywhere"})
    assert not _listed(none) and "No indicator matches" in none.content.decode()


def test_an_unknown_area_is_refused_naming_it(tmp_path, settings):
    extra = tmp_path / "indicators.toml"
    extra.write_text(
        '[x]\ntitle = "x"\narea = "housing"\nquestion = "q"\nmethod = "count"\n'
        'kind = "referral"\nnumerator = "n"\ndenominator = "d"\npolarity = "up"\n'
    )
    settings.PLACEWISE_INDICATORS_FILE = extra
    with pytest.raises(library.LibraryError, match="area must be one of"):
        library.load()
