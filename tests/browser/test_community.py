"""Community co-design in a real browser (issue 20): Alice loads a population table, starts an
engagement (refused first without a title), records two sessions, sees reach name a gap, records
what people said, groups it into a theme, draws a proposal and adopts it — an action in the
follow-up engine — and publishes the you-said-we-did page. A member of the public reads it with
no sign-in; when the action is followed up, its verdict appears there. Each page is checked with
axe and photographed at 1280 and 320 pixels."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from placewise.community import actions
from placewise.community.models import Proposal, Session
from placewise.reviews import actions as engine
from tests.browser.conftest import accessibility_violations, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POPULATION = b"""dimension,group,observation
ethnicity,White,700
ethnicity,Asian,150
ethnicity,Black,100
ethnicity,Mixed,50
sex,Female,510
sex,Male,490
"""


def _date(page, name: str, when: date) -> None:
    for box, typed in (("day", when.day), ("month", when.month), ("year", when.year)):
        page.locator(f'input[name="{name}-{box}"]').fill(str(typed))


def _look(page, name: str) -> None:
    assert accessibility_violations(page) == [], name
    screenshot(page, f"community-{name}")
    page.set_viewport_size({"width": 320, "height": 800})
    screenshot(page, f"community-{name}-320")
    page.set_viewport_size({"width": 1280, "height": 900})


def _session(page, when: date, groups: str, took_part: int, ethnicity: str, sex: str) -> None:
    page.get_by_role("link", name="Record a session").click()
    _date(page, "held_on", when)
    page.get_by_label("In person", exact=True).check()
    page.get_by_label("Community groups and organisations involved").fill(groups)
    page.get_by_label("Facilitators").fill("Dana Price")
    page.get_by_label("Language support offered (optional)").fill("Somali interpreter")
    page.get_by_label("How many people took part").fill(str(took_part))
    page.get_by_label("Ethnic group: how many in each group").fill(ethnicity)
    page.get_by_label("Sex: how many in each group").fill(sex)
    page.get_by_role("button", name="Record the session").click()
    page.wait_for_url("**/community/engagements/*/")


def test_an_engagement_from_two_sessions_to_a_verdict_on_the_public_page(
    new_page, live_server, people
):
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/community/")
    _look(page, "home")

    page.get_by_role("link", name="Load a population table").click()
    page.get_by_label("Title").fill("Northshire, 0 to 17")
    page.get_by_label("Source").fill("Census 2021, ONS")
    page.get_by_label("Population table (CSV)").set_input_files(
        {"name": "population.csv", "mimeType": "text/csv", "buffer": POPULATION}
    )
    page.get_by_role("button", name="Load the table").click()
    page.wait_for_url("**/community/")

    page.get_by_role("link", name="Start an engagement").click()
    page.get_by_role("button", name="Start the engagement").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the engagement a title.")
    _look(page, "new-refused")
    page.get_by_label("Title").fill("Early help for families")
    page.get_by_label("What are you asking?").fill(
        "What would make it easier to ask for help early?"
    )
    _date(page, "started_on", date(2026, 3, 1))
    page.get_by_label("Indicator it should help move").select_option(
        "help_started_within_10_working_days"
    )
    page.get_by_label("The people you mean to hear").select_option(label="Northshire, 0 to 17")
    page.get_by_role("button", name="Start the engagement").click()
    page.wait_for_url("**/community/engagements/*/")

    _session(
        page,
        date(2026, 3, 10),
        "Somali Women's Group",
        30,
        "White: 20\nAsian: 8\nBlack: 2",
        "Female: 25\nMale: 5",
    )
    _session(
        page,
        date(2026, 3, 24),
        "Eastfield Parents' Forum",
        20,
        "White: 10\nAsian: 4\nBlack: 1\nMixed: 5",
        "Female: 10\nMale: 10",
    )
    # Worked by hand in tests/integration/community/test_community_reach.py.
    expect(page.locator(".govuk-warning-text").first).to_contain_text("Male (19.0 points short)")
    expect(page.locator("main")).to_contain_text("Black (4.0 points short)")
    _look(page, "engagement")

    page.get_by_role("link", name="Voices, themes and proposals").click()
    page.get_by_label("What they said, in their words").fill(
        "Nobody told us the family hub was for us."
    )
    page.get_by_role("button", name="Record what they said").click()
    page.get_by_label("Theme", exact=True).fill("Not knowing help exists")
    page.get_by_role("button", name="Add the theme").click()
    page.get_by_role("button", name="Place under the theme").click()
    expect(page.get_by_test_id("theme")).to_contain_text("Nobody told us the family hub")
    page.get_by_label("A proposal from this theme").fill("Leaflets in Somali at the mosque")
    page.get_by_role("button", name="Add the proposal").click()
    _look(page, "voices")

    page.get_by_role("link", name="respond").click()
    page.get_by_label("Adopted").check()
    page.get_by_role("button", name="Record the response").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say who owns the action.")
    page.get_by_label("Adopted").check()
    page.get_by_label("Who owns the action").fill("Early help manager")
    _date(page, "due_on", timezone.localdate() + timedelta(days=90))
    page.get_by_label("Up").check()
    page.get_by_role("button", name="Record the response").click()
    page.wait_for_url("**/community/engagements/*/")
    expect(page.get_by_test_id("proposal")).to_contain_text("Not yet followed up")
    page.get_by_role("button", name="Publish the you said, we did page").click()
    page.wait_for_url("**/community/you-said-we-did/*/")
    public_url = page.url

    # The public page counts only sessions recorded before their quarter ended (ADR 0030): as if
    # each session had been recorded on its evening, as the service would have done in March.
    for session in Session.objects.all():
        Session.objects.filter(pk=session.pk).update(
            recorded_at=datetime.combine(session.held_on, time(17), tzinfo=UTC)
        )

    reader = new_page()  # a member of the public: no sign-in
    reader.set_viewport_size({"width": 1280, "height": 900})
    reader.goto(public_url)
    # Quarter by quarter (ADR 0030, follow-up): both March sessions are January to March's.
    march = reader.get_by_test_id("quarter-2026-01")
    expect(march).to_contain_text("Sessions held from January to March 2026")
    expect(march).to_contain_text("2 sessions. 50 people took part.")
    expect(march.get_by_test_id("gap").first).to_contain_text("Male (19.0 percentage points")
    expect(reader.get_by_test_id("verdicts")).to_contain_text("We have not yet looked")
    _look(reader, "you-said-we-did")

    proposal = Proposal.objects.get()
    engine.follow_up(
        action=proposal.action,
        given_at="Early help review, 1 December 2026",
        outcome="moved",
        loop="single",
        note="",
        evidence={"months_after": 7},
        by=User.objects.get(username="alice"),
    )
    reader.reload()
    expect(reader.get_by_test_id("verdicts")).to_contain_text("Moved as expected")
    _look(reader, "you-said-we-did-verdict")

    # A session in May, written down that evening: April to June is shown as a quarter of its
    # own (worked by hand in tests/integration/community/test_community_reach_quarters.py): 22
    # people, its 2 men and 20 women withheld, never added to March's 15 and 35.
    may = actions.add_session(
        engagement=proposal.theme.engagement,
        held_on=date(2026, 5, 14),
        mode="in_person",
        groups="Northshire Youth Forum",
        facilitators="Dana Price",
        participants=22,
        counts={"ethnicity": {"White": 12, "Asian": 10}, "sex": {"Female": 20, "Male": 2}},
        by=User.objects.get(username="alice"),
    )
    Session.objects.filter(pk=may.pk).update(
        recorded_at=datetime.combine(may.held_on, time(17), tzinfo=UTC)
    )
    reader.reload()
    june = reader.get_by_test_id("quarter-2026-04")
    expect(june).to_contain_text("1 session. 22 people took part.")
    expect(june.get_by_test_id("reach-sex")).to_contain_text("withheld")
    expect(reader.get_by_test_id("all-quarters")).to_contain_text(
        "Across these 2 quarters, 72 people took part."
    )
    _look(reader, "you-said-we-did-quarters")
