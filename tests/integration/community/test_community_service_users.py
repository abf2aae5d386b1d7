"""Reach against the service's own users (issue 20, item 1): children a council source holds with
an event of the given kinds in a period, by ethnic group, through disclosure control. Worked by
hand from the rows below."""

from datetime import date, datetime

import pytest

from placewise.community import actions
from placewise.community.models import PopulationRow
from placewise.sharing import actors
from placewise.sources.actions import register_source
from placewise.store import stores

pytestmark = pytest.mark.django_db

# Token, ethnicity code, kind, start. Hand count of children with a cin_episode in 2026:
# White (WBRI 4, WIRI 1) 5; Asian (APKN 3, CHNE 1) 4; Black (BAFR 2) 2; Mixed 0 (MWBC's episode
# is in 2025); REFU 1 and NOBT 1 are no group. t01 has two episodes: counted once.
CHILDREN = [
    ("t01", "WBRI", "cin_episode", date(2026, 2, 1)),
    ("t01", "WBRI", "cin_episode", date(2026, 5, 1)),
    ("t02", "WBRI", "cin_episode", date(2026, 3, 1)),
    ("t03", "WBRI", "cin_episode", date(2026, 4, 1)),
    ("t04", "WBRI", "cin_episode", date(2026, 6, 1)),
    ("t05", "WIRI", "cin_episode", date(2026, 7, 1)),
    ("t06", "APKN", "cin_episode", date(2026, 1, 9)),
    ("t07", "APKN", "cin_episode", date(2026, 8, 1)),
    ("t08", "APKN", "cin_episode", date(2026, 9, 1)),
    ("t09", "CHNE", "cin_episode", date(2026, 9, 2)),
    ("t10", "BAFR", "cin_episode", date(2026, 3, 3)),
    ("t11", "BAFR", "cin_episode", date(2026, 3, 4)),
    ("t12", "MWBC", "cin_episode", date(2025, 12, 31)),
    ("t13", "REFU", "cin_episode", date(2026, 3, 5)),
    ("t14", "NOBT", "cin_episode", date(2026, 3, 6)),
    ("t15", "WBRI", "referral", date(2026, 3, 7)),  # not a kind asked for
]


@pytest.fixture
def served(fresh_stores, people):
    register_source(
        name="council_csc", organisation=people["orgs"]["council"], by=actors.command_line()
    )
    register_source(
        name="health_ae", organisation=people["orgs"]["health"], by=actors.command_line()
    )
    with stores.analytic() as store:
        store.execute("INSERT INTO loads VALUES (1, ?)", [datetime(2026, 10, 1)])
        for token, code in sorted({(t, c) for t, c, _, _ in CHILDREN}):
            store.execute(
                "INSERT INTO records (token, source, ethnicity, load_id) "
                "VALUES (?, 'council_csc', ?, 1)",
                [token, code],
            )
        for token, _, kind, start in CHILDREN:
            store.execute(
                "INSERT INTO events (token, source, origin, kind, start_date, load_id) "
                "VALUES (?, 'council_csc', 'test', ?, ?, 1)",
                [token, kind, start],
            )


def _table(people, **change):
    asked = {
        "organisation": people["orgs"]["council"],
        "title": "Children in need in 2026",
        "source": "council_csc",
        "kinds": ["cin_episode"],
        "since": date(2026, 1, 1),
        "until": date(2026, 12, 31),
        "by": people["alice"],
    }
    asked.update(change)
    return actions.population_from_service(**asked)


def test_children_in_need_by_ethnic_group_with_a_small_group_left_out(
    settings, people, agreement, served
):
    settings.PLACEWISE_DISCLOSURE_THRESHOLD = 3
    table = _table(people)
    rows = dict(PopulationRow.objects.filter(table=table).values_list("group", "count"))
    # Black (2) is under 3: left out, and said so; nothing else needs hiding (no total shown).
    assert rows == {"White": 5, "Asian": 4}
    assert "left out as too few to publish: Black" in table.source


def test_a_source_of_another_organisation_is_refused_and_nothing_made(
    settings, people, agreement, served
):
    from placewise.community.models import PopulationTable

    with pytest.raises(actions.CommunityError, match="not one of them"):
        _table(people, source="health_ae")
    settings.PLACEWISE_DISCLOSURE_THRESHOLD = 10
    with pytest.raises(actions.CommunityError, match="large enough to publish"):
        _table(people)
    assert not PopulationTable.objects.exists()


def test_the_page_makes_the_table_and_refuses_a_period_that_ends_before_it_starts(
    settings, client, people, agreement, served
):
    from django.urls import reverse

    from placewise.community.models import PopulationTable

    settings.PLACEWISE_DISCLOSURE_THRESHOLD = 3
    client.force_login(people["alice"])
    url = reverse("community:service_population")
    page = client.get(url)
    assert page.status_code == 200 and "council_csc" in page.content.decode()
    asked = {
        "title": "Children in need in 2026",
        "source": "council_csc",
        "kind": "cin_episode",
        "since-day": "1",
        "since-month": "1",
        "since-year": "2026",
        "until-day": "31",
        "until-month": "12",
        "until-year": "2025",
    }
    refused = client.post(url, asked)
    assert refused.status_code == 400
    assert "govuk-error-summary" in refused.content.decode()
    assert "End of the period must be the same as or after its start." in refused.content.decode()
    empty = client.post(url, {"source": "council_csc", "kind": "cin_episode"}).content.decode()
    assert "Enter start of the period." in empty and "This field is required" not in empty
    assert not PopulationTable.objects.exists()
    made = client.post(url, {**asked, "until-year": "2026"})
    assert made.status_code == 302
    table = PopulationTable.objects.get()
    assert dict(table.rows.values_list("group", "count")) == {"White": 5, "Asian": 4}
