"""Who may open operational and strategic reviews: an authorisation matrix of every page, as a
head of service and a team manager (who run reviews for the council), a team manager of another
organisation, a practitioner, a partner's lead the schedule invites and one it does not, and
someone not signed in. Writes are the chair's: an invited lead may record findings only."""

from datetime import date

import pytest

from placewise.service_reviews import actions
from placewise.sharing.permissions import Role
from tests import factories

pytestmark = pytest.mark.django_db

ANON = "anonymous"
RUNS = {"alice": 200, "tom": 200}
# The home page lists a team manager's own organisation's reviews; a meeting is the council's.
EXPECTED = {
    "home": {ANON: 302, **RUNS, "hana": 200, "paula": 403, "pat": 403, "pia": 200},
    "meeting": {ANON: 302, **RUNS, "hana": 403, "paula": 403, "pat": 403, "pia": 200},
    "record_pdf": {ANON: 302, **RUNS, "hana": 403, "paula": 403, "pat": 403, "pia": 200},
    "record_xlsx": {ANON: 302, **RUNS, "hana": 403, "paula": 403, "pat": 403, "pia": 200},
}


@pytest.fixture
def cast(people, shared_place):
    orgs = people["orgs"]
    found = {
        "alice": people["alice"],  # head of service, council
        "tom": factories.person("tom", (orgs["council"], Role.TEAM_MANAGER)),
        "hana": factories.person("hana", (orgs["health"], Role.TEAM_MANAGER)),
        "paula": factories.person("paula", (orgs["council"], Role.PRACTITIONER)),
        "pat": factories.person("pat", (orgs["police"], Role.PARTNER_LEAD)),
        "pia": factories.person("pia", (orgs["police"], Role.PARTNER_LEAD)),
    }
    schedule = actions.create_schedule(
        title="Strategic partnership review",
        kind="strategic",
        every="quarter",
        areas=["social_care", "police", "schools"],
        leaders="Director of children's services\nChief inspector\nHead of inclusion",
        invited=[found["pia"]],
        by=found["alice"],
    )
    found["meeting"] = actions.hold_meeting(
        schedule=schedule,
        held_on=date(2026, 3, 12),
        attendees="Alice\nPia",
        purpose="safeguarding",
        by=found["alice"],
    )
    return found


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_every_page_as_each_person(client, cast, page):
    meeting = cast["meeting"]
    url = {
        "home": "/service-reviews/",
        "meeting": f"/service-reviews/meetings/{meeting.pk}/",
        "record_pdf": f"/service-reviews/meetings/{meeting.pk}/record.pdf",
        "record_xlsx": f"/service-reviews/meetings/{meeting.pk}/record.xlsx",
    }[page]
    wrong = []
    for who, status in EXPECTED[page].items():
        client.logout()
        if who != ANON:
            client.force_login(cast[who])
        got = client.get(url).status_code
        if got != status:
            wrong.append(f"{page} as {who}: {got}, expected {status}")
    assert not wrong, "\n".join(wrong)


def test_a_refusal_says_why_and_who_can_invite(client, cast):
    client.force_login(cast["pat"])
    page = client.get(f"/service-reviews/meetings/{cast['meeting'].pk}/")
    assert page.status_code == 403
    assert (
        "This review meeting belongs to Northshire Council Children&#x27;s Services, and its "
        "schedule does not invite you. Ask its chair, Alice Adeyemi, to invite you to "
        "&#x27;Strategic partnership review&#x27;."
    ) in page.content.decode()
    client.force_login(cast["paula"])
    home = client.get("/service-reviews/").content.decode()
    assert "Nor does any operational or strategic review invite you" in home


def test_no_one_but_a_chair_writes_the_schedule_the_sample_or_the_changes(client, cast):
    meeting = cast["meeting"]
    client.force_login(cast["paula"])
    assert client.post("/service-reviews/", {"step": "goal", "title": "x"}).status_code == 403
    client.force_login(cast["pia"])
    assert client.post("/service-reviews/", {"step": "goal", "title": "x"}).status_code == 403
    for step in ("indicator", "cohort", "referral", "change", "carry"):
        page = client.post(f"/service-reviews/meetings/{meeting.pk}/", {"step": step})
        assert page.status_code == 403, step
    # An invited lead records findings (refused here only for want of a sample).
    page = client.post(f"/service-reviews/meetings/{meeting.pk}/", {"step": "finding"})
    assert page.status_code == 400
    with pytest.raises(actions.ServiceReviewError, match="Only those who run"):
        actions.hold_meeting(
            schedule=meeting.schedule,
            held_on=date(2026, 4, 1),
            attendees="x",
            purpose="safeguarding",
            by=cast["hana"],
        )


def test_the_menu_offers_reviews_to_those_who_run_them(client, cast):
    from placewise.web.navigation import menu

    def pages(who):
        return [p.title for item in menu(cast[who]) for p, _ in item.pages]

    assert "Operational and strategic reviews" in pages("alice")
    assert "Operational and strategic reviews" in pages("tom")
    assert "Operational and strategic reviews" not in pages("paula")
