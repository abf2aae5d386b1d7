"""Supervision's forms refuse incomplete input with a GOV.UK error summary, write nothing, and
keep what was typed; complete input goes through the actions (issue 17)."""

from datetime import date

import pytest
from django.urls import reverse

from placewise.practice.models import Supervision
from placewise.reviews.models import Action, Verdict
from placewise.sharing.models import AuditEntry
from placewise.supervision import actions
from placewise.supervision.models import SupervisionSession
from tests.integration.supervision.test_supervision_factories import (  # noqa: F401 (a fixture)
    RI,
    RISK,
    _finder_registered,
    council_practice,
    peer_review,
)

pytestmark = pytest.mark.django_db
SUMMARY = '<div class="govuk-error-summary"'


@pytest.fixture
def place(people):
    everyone = council_practice(people)
    supervision = actions.start_supervision(
        supervisor=everyone["frank"],
        supervisee=everyone["erin"],
        since=date(2026, 1, 1),
        by=everyone["frank"],
    )
    shared = peer_review(
        everyone,
        held_on=date(2026, 3, 2),
        grades={"gita": RI, "hamid": RI},
        shared_on=date(2026, 3, 5),
    )
    return {**everyone, "supervision": supervision, "shared": shared}


def _refused(page, *messages):
    text = page.content.decode()
    assert page.status_code == 400, text[:400]
    assert SUMMARY in text and "There is a problem" in text
    assert "<title>Error:" in text
    for message in messages:
        assert message in text, message


def test_recording_a_supervision_needs_whom_and_since_when(client, place):
    client.force_login(place["frank"])
    url = reverse("supervision:supervisees")
    # Said as adding a supervisee, not "record a supervision" (which reads as a session).
    shown = client.get(url).content.decode()
    assert "Add someone you supervise" in shown and "Record a supervision<" not in shown
    _refused(
        client.post(url, {}),
        "Choose the practitioner you supervise.",
        "Enter the date the supervision began.",
    )
    # Erin already has a supervisor: the action's refusal is shown in the summary.
    page = client.post(
        url,
        {
            "supervisee": place["erin"].pk,
            "since-day": "1",
            "since-month": "2",
            "since-year": "2026",
        },
    )
    _refused(page, "Erin Test is supervised by Frank Test since 1 January 2026")
    page = client.post(
        url,
        {"supervisee": place["ivy"].pk, "since-day": "1", "since-month": "2", "since-year": "2026"},
    )
    assert page.status_code == 302
    assert Supervision.objects.filter(supervisee=place["ivy"], supervisor=place["frank"]).exists()


def test_a_head_of_service_names_the_supervisor(client, place):
    client.force_login(place["alice"])
    url = reverse("supervision:supervisees")
    _refused(client.post(url, {}), "Choose the supervisor.")
    page = client.post(
        url,
        {
            "supervisor": place["frank"].pk,
            "supervisee": place["ivy"].pk,
            "since-day": "3",
            "since-month": "2",
            "since-year": "2026",
        },
    )
    assert page.status_code == 302
    assert Supervision.objects.get(supervisee=place["ivy"]).supervisor == place["frank"]


def test_ending_needs_a_real_date(client, place):
    client.force_login(place["frank"])
    url = reverse("supervision:end", kwargs={"pk": place["supervision"].pk})
    _refused(client.post(url, {}), "Enter the date the supervision ended.")
    _refused(
        client.post(url, {"until-day": "31", "until-month": "2", "until-year": "2026"}),
        "must be a real date",
    )
    assert client.post(
        url, {"until-day": "30", "until-month": "6", "until-year": "2026"}
    ).status_code == (302)
    place["supervision"].refresh_from_db()
    assert place["supervision"].until == date(2026, 6, 30)


def test_a_session_needs_its_date_and_reflections(client, place):
    client.force_login(place["frank"])
    url = reverse("supervision:new_session", kwargs={"pk": place["supervision"].pk})
    _refused(
        client.post(url, {"reflections": ""}),
        "Enter the date of the supervision.",
        "Record the reflections on the feedback discussed.",
    )
    assert not SupervisionSession.objects.exists()
    page = client.post(
        url,
        {
            "held_on-day": "12",
            "held_on-month": "3",
            "held_on-year": "2026",
            "reviews": [place["shared"].pk],
            "reflections": "Erin will lead with the risk analysis",
        },
    )
    session = SupervisionSession.objects.get()
    assert page.status_code == 302 and page["Location"].endswith(f"/sessions/{session.pk}/")
    assert list(session.reviews.all()) == [place["shared"]]


def test_what_they_will_try_needs_what_which_criterion_and_when(client, place):
    session = actions.record_session(
        supervision=place["supervision"],
        held_on=date(2026, 3, 12),
        reviews=[place["shared"]],
        reflections="Reflections",
        by=place["frank"],
    )
    client.force_login(place["erin"])
    url = reverse("supervision:session", kwargs={"pk": session.pk})
    _refused(
        client.post(url, {"step": "will_try"}),
        "Say what the practitioner will try.",
        "Choose the criterion it should improve.",
        "Enter the date they will have tried it by.",
    )
    assert not Action.objects.exists()
    page = client.post(
        url,
        {
            "step": "will_try",
            "description": "Write the risk analysis first",
            "criterion": RISK,
            "due_on-day": "1",
            "due_on-month": "6",
            "due_on-year": "2026",
        },
    )
    assert page.status_code == 302
    assert Action.objects.get().measure_key == RISK


def test_a_follow_up_needs_an_outcome_and_refuses_a_verdict_the_evidence_cannot_give(client, place):
    first = actions.record_session(
        supervision=place["supervision"],
        held_on=date(2026, 3, 12),
        reviews=[place["shared"]],
        reflections="Reflections",
        by=place["frank"],
    )
    action = actions.agree_will_try(
        session=first,
        description="Write the risk analysis first",
        criterion_key=RISK,
        due_on=date(2026, 6, 1),
        by=place["frank"],
    )
    later = actions.record_session(
        supervision=place["supervision"],
        held_on=date(2026, 4, 9),
        reviews=[],
        reflections="Reflections",
        by=place["frank"],
    )
    client.force_login(place["frank"])
    url = reverse("supervision:session", kwargs={"pk": later.pk})
    page = client.get(url)
    assert "No peer review of Erin Test shared into supervision" in page.content.decode()
    step = f"follow_up-{action.pk}"
    _refused(
        client.post(url, {"step": step}),
        "Say whether the practice moved.",
        "Say which loop the learning is.",
    )
    _refused(
        client.post(
            url, {"step": step, f"f{action.pk}-outcome": "moved", f"f{action.pk}-loop": "single"}
        ),
        "too early to tell",
    )
    assert not Verdict.objects.exists()
    page = client.post(
        url, {"step": step, f"f{action.pk}-outcome": "too_early", f"f{action.pk}-loop": "single"}
    )
    assert page.status_code == 302
    assert Verdict.objects.get().given_at == "Supervision, 9 April 2026"


def test_a_session_closes_what_was_tried_saying_why_and_later_sessions_stop_asking(client, place):
    first = actions.record_session(
        supervision=place["supervision"],
        held_on=date(2026, 3, 12),
        reviews=[place["shared"]],
        reflections="Reflections",
        by=place["frank"],
    )
    action = actions.agree_will_try(
        session=first,
        description="Write the risk analysis first",
        criterion_key=RISK,
        due_on=date(2026, 6, 1),
        by=place["frank"],
    )
    later, latest = (
        actions.record_session(
            supervision=place["supervision"],
            held_on=held_on,
            reviews=[],
            reflections="Reflections",
            by=place["frank"],
        )
        for held_on in (date(2026, 4, 9), date(2026, 5, 7))
    )
    client.force_login(place["frank"])
    url = reverse("supervision:session", kwargs={"pk": later.pk})
    assert "Close it: done, or no longer worth trying" in client.get(url).content.decode()
    step = f"close-{action.pk}"
    _refused(
        client.post(url, {"step": step}), "Say why it is closed: done, or no longer worth trying."
    )
    page = client.post(url, {"step": step, f"c{action.pk}-note": "Done: it is how she works now."})
    assert page.status_code == 302
    action.refresh_from_db()
    assert (action.closed_on, action.closed_by) == (date(2026, 4, 9), "frank")
    assert AuditEntry.objects.filter(actor="frank", action="review.action_closed").exists()
    # The session it was closed at still shows it, closed and why; the next one no longer asks.
    shown = client.get(url).content.decode()
    assert "Closed on 9 April 2026: “Done: it is how she works now.” (frank)" in shown
    after = client.get(reverse("supervision:session", kwargs={"pk": latest.pk})).content.decode()
    assert "Write the risk analysis first" not in after
    with pytest.raises(actions.SupervisionError, match="closes only the open actions"):
        actions.close_will_try(session=latest, action=action, note="Again", by=place["frank"])
