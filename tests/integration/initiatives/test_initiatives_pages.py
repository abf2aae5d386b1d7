"""Initiative pages (issue 19): forms refuse bad input with a GOV.UK error summary, the team
places and moves stakeholders through the pages, and readers who are not on the team are refused
every change with the reason."""

from datetime import date

import pytest
from django.urls import reverse

from placewise.initiatives import actions
from placewise.initiatives.models import Initiative, Placement, Stakeholder


def _date(name: str, day: date) -> dict[str, str]:
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


@pytest.fixture
def initiative(people) -> Initiative:
    found = actions.start(
        kind="project",
        name="Integrating health and social care",
        issue="Hospital discharge of children with complex needs",
        organisation=people["orgs"]["council"],
        started_on=date(2026, 1, 5),
        by=people["alice"],
    )
    actions.add_partner(initiative=found, organisation=people["orgs"]["health"], by=people["alice"])
    return found


def test_start_refuses_an_empty_form_with_a_summary_then_starts(client, people):
    client.force_login(people["alice"])
    response = client.post(reverse("initiatives:start"), {})
    text = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in text
    for message in (
        "Say whether this is an initiative or a place project.",
        "Give the initiative a name.",
        "Choose the organisation that leads it.",
        "Enter the date it started.",
    ):
        assert message in text
    council = people["orgs"]["council"]
    response = client.post(
        reverse("initiatives:start"),
        {"kind": "project", "name": "Food poverty", "issue": "", "organisation": council.pk}
        | _date("started_on", date(2026, 2, 1)),
    )
    assert response.status_code == 400
    assert "A place project takes one issue: say which." in response.content.decode()
    response = client.post(
        reverse("initiatives:start"),
        {
            "kind": "project",
            "name": "Food poverty",
            "issue": "Food poverty",
            "organisation": council.pk,
        }
        | _date("started_on", date(2026, 2, 1)),
    )
    found = Initiative.objects.get(name="Food poverty")
    assert response.status_code == 302 and response["Location"] == found.get_absolute_url()
    assert found.enabler == people["alice"] and found.team.get().user == people["alice"]


def test_a_stakeholder_placed_moved_and_its_history_shown(client, people, initiative):
    client.force_login(people["alice"])
    response = client.post(
        reverse("initiatives:new_stakeholder", args=[initiative.pk]),
        {"kind": "person", "name": "", "authorising": "on", "authorises": ""},
    )
    text = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in text
    assert "Give the stakeholder&#x27;s name." in text
    assert "Say what this stakeholder must authorise." in text
    response = client.post(
        reverse("initiatives:new_stakeholder", args=[initiative.pk]),
        {
            "kind": "person",
            "name": "Director of nursing",
            "role": "Director",
            "organisation": people["orgs"]["health"].pk,
            "authorising": "on",
            "authorises": "The trust's staff time",
        },
    )
    stakeholder = Stakeholder.objects.get(name="Director of nursing")
    page = reverse("initiatives:stakeholder", args=[stakeholder.pk])
    assert response["Location"] == page
    response = client.post(page, {"step": "place"})
    text = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in text
    assert "Say how far you trust them." in text and "Enter the date of your placement." in text
    client.post(
        page,
        {"step": "place", "trust": "low", "agreement": "unknown", "note": ""}
        | _date("placed_on", date(2026, 3, 2)),
    )
    client.post(
        page,
        {"step": "place", "trust": "high", "agreement": "high", "note": ""}
        | _date("placed_on", date(2026, 4, 2)),
    )
    assert Placement.objects.filter(stakeholder=stakeholder).count() == 2
    text = client.get(initiative.get_absolute_url()).content.decode()
    assert "1 stakeholder moved from fence-sitter to ally since April 2026" in text
    # The authorising stakeholder is an ally now: no warning about them.
    assert "must authorise this work" not in text
    assert "No public value is stated" in text


def test_a_partner_reads_but_changes_nothing_and_an_outsider_sees_nothing(
    client, people, initiative
):
    stakeholder = actions.add_stakeholder(
        initiative=initiative,
        kind="person",
        name="GP lead",
        role="",
        organisation=None,
        organisation_name="",
        authorising=False,
        authorises="",
        on=date(2026, 1, 5),
        by=people["alice"],
    )
    client.force_login(people["bob"])
    response = client.get(initiative.get_absolute_url())
    assert response.status_code == 200
    assert "Add a stakeholder" not in response.content.decode()
    for url, data in (
        (reverse("initiatives:describe", args=[initiative.pk]), {}),
        (reverse("initiatives:new_stakeholder", args=[initiative.pk]), {}),
        (reverse("initiatives:add_milestone", args=[initiative.pk]), {}),
        (reverse("initiatives:stakeholder", args=[stakeholder.pk]), {"step": "place"}),
    ):
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert (
            "Only the team of &#x27;Integrating health and social care&#x27; changes it"
            in response.content.decode()
        )
    client.force_login(people["charlie"])
    response = client.get(initiative.get_absolute_url())
    assert response.status_code == 403
    assert "you are in none of them" in response.content.decode()
    assert client.get(reverse("initiatives:home")).status_code == 200
    assert "Integrating health" not in client.get(reverse("initiatives:home")).content.decode()


def test_the_project_page_shows_milestones_and_the_next_conversation(client, people, initiative):
    alice = people["alice"]
    client.force_login(alice)
    response = client.post(
        reverse("initiatives:add_milestone", args=[initiative.pk]), {"title": ""}
    )
    assert response.status_code == 400 and "Say what the milestone is." in response.content.decode()
    client.post(
        reverse("initiatives:add_milestone", args=[initiative.pk]),
        {"title": "Joint discharge panel meets"} | _date("due_on", date(2026, 5, 1)),
    )
    gp = actions.add_stakeholder(
        initiative=initiative,
        kind="person",
        name="GP lead",
        role="",
        organisation=None,
        organisation_name="",
        authorising=False,
        authorises="",
        on=date(2026, 1, 5),
        by=alice,
    )
    page = reverse("initiatives:stakeholder", args=[gp.pk])
    response = client.post(page, {"step": "talk"})
    assert (
        response.status_code == 400
        and "Say what the conversation is for." in response.content.decode()
    )
    client.post(
        page,
        {"step": "talk", "description": "Ask what it would take", "owner": alice.pk}
        | _date("due_on", date(2027, 1, 1)),
    )
    text = client.get(initiative.get_absolute_url()).content.decode()
    assert "Joint discharge panel meets, due 1 May 2026" in text
    assert "Ask what it would take" in text


def test_whoever_had_the_conversation_follows_it_up_in_the_engine(client, people, initiative):
    from placewise.reviews.models import Verdict

    alice, dana_like = people["alice"], people["bob"]
    actions.add_member(initiative=initiative, user=dana_like, on=date(2026, 1, 6), by=alice)
    gp = actions.add_stakeholder(
        initiative=initiative,
        kind="person",
        name="GP lead",
        role="",
        organisation=None,
        organisation_name="",
        authorising=False,
        authorises="",
        on=date(2026, 1, 5),
        by=alice,
    )
    conversation = actions.plan_conversation(
        stakeholder=gp,
        description="Ask what it would take",
        owner=dana_like,
        due_on=date(2026, 3, 1),
        on=date(2026, 2, 1),
        measure=None,
        by=alice,
    )
    page = reverse("initiatives:stakeholder", args=[gp.pk])
    # Alice planned it but did not have it: no follow-up form for her, and the action refuses.
    client.force_login(alice)
    assert "How did your conversation go?" not in client.get(page).content.decode()
    with pytest.raises(actions.InitiativeError, match="Only Bob Bennett, who had the conversation"):
        actions.follow_up_conversation(
            conversation=conversation,
            written_on=date(2026, 2, 20),
            what_happened="x",
            effect="as hoped",
            loop="single",
            by=alice,
        )
    client.force_login(dana_like)
    response = client.post(page, {"step": "follow"})
    text = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in text
    assert "Say what happened." in text and "Choose the conversation you had." in text
    response = client.post(
        page,
        {
            "step": "follow",
            "conversation": conversation.pk,
            "what_happened": "She agreed to pilot it.",
            "effect": "as hoped",
            "loop": "single",
        }
        | _date("written_on", date(2026, 2, 20)),
    )
    assert response.status_code == 302
    verdict = Verdict.objects.get(action=conversation.action)
    assert verdict.outcome == Verdict.Outcome.MOVED
    assert verdict.given_at == "Conversation with GP lead, 20 February 2026"
    assert (
        "Conversation with GP lead, 20 February 2026: Moved as expected"
        in client.get(page).content.decode()
    )


def test_capacity_indicators_team_and_partners_added_through_their_forms(
    client, people, initiative, agreement
):
    client.force_login(people["alice"])

    def post(what: str, data: dict) -> str:
        response = client.post(reverse(f"initiatives:add_{what}", args=[initiative.pk]), data)
        return response.content.decode() if response.status_code == 400 else ""

    assert "Describe the capacity." in post("capacity", {"kind": "data"})
    assert "Choose the indicator it should move." in post("indicator", {"direction": "up"})
    assert "Choose who joins the team." in post("member", {})
    assert "Choose the partner organisation." in post("partner", {})
    # The council leads it already: refused with the reason, in the summary.
    assert "leads this initiative already" in post(
        "partner", {"organisation": people["orgs"]["council"].pk}
    )
    assert not post(
        "capacity",
        {"kind": "data", "description": "Both sides' records", "agreement": agreement.pk},
    )
    assert not post(
        "indicator", {"indicator": "case_closure_rate", "direction": "up", "public_value": "on"}
    )
    assert not post("member", {"user": people["bob"].pk})
    assert not post("partner", {"organisation": people["orgs"]["police"].pk})
    initiative.refresh_from_db()
    assert initiative.capacities.get().agreement == agreement
    assert initiative.measures.get().public_value is True
    assert {m.user.username for m in initiative.team.all()} == {"alice", "bob"}
    assert {o.pk for o in initiative.partners.all()} == {
        people["orgs"]["health"].pk,
        people["orgs"]["police"].pk,
    }
