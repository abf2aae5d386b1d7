"""Operational and strategic reviews on the small linked place: a meeting starts from children's
journeys (drawn from a cohort or a partner's referral, each record opened through the policy
function), records findings against strategic goals, and agrees process changes as actions of
the one follow-up engine, which the next data review session follows up. An invited partner sees
what their agreements withhold, named; the record exports as PDF and XLSX for each viewer."""

import csv
import io
import re
from datetime import date

import openpyxl
import pytest

from placewise.reviews.models import Action
from placewise.service_reviews import actions
from placewise.service_reviews.models import AgreedChange, SampleChild, StrategicGoal
from placewise.service_reviews.queries import SampleSummary
from placewise.sharing.models import AuditEntry
from placewise.sharing.permissions import Role
from tests import factories

pytestmark = pytest.mark.django_db


def _first(path, column):
    with path.open(newline="") as handle:
        return next(csv.DictReader(handle))[column]


@pytest.fixture
def meeting(people, linked_place):
    alice = people["alice"]
    actions.add_goal(title="Children safe at home", description="", by=alice)
    schedule = actions.create_schedule(
        title="Front door review",
        kind="operational",
        every="month",
        areas=["social_care", "early_help", "police"],
        leaders="Head of children's social care\nHead of early help\nDetective inspector, MASH",
        invited=[people["charlie"]],
        by=alice,
    )
    return actions.hold_meeting(
        schedule=schedule,
        held_on=date(2026, 3, 12),
        attendees="Alice\nCharlie",
        purpose="safeguarding",
        by=alice,
    )


def _census_ids(place):
    return set(
        re.findall(
            r"<LAchildID>([^<]+)</LAchildID>", (place / "council" / "cin_census.xml").read_text()
        )
    )


def test_a_cohort_sample_keeps_references_only_and_each_read_is_audited(
    client, people, meeting, linked_place
):
    client.force_login(people["alice"])
    page = client.post(
        f"/service-reviews/meetings/{meeting.pk}/",
        {"step": "cohort", "start": "2000-01-01", "end": "2100-01-01", "how_many": "3"},
    )
    assert page.status_code == 302
    sample = list(meeting.sample.all())
    assert len(sample) == 3
    assert {c.source for c in sample} == {"council_csc"}
    assert {c.reference for c in sample} <= _census_ids(linked_place)
    assert all(c.drawn_as.startswith("Children referred from 1 January 2000") for c in sample)
    # Only where from and the reference: the model has no field for a record's contents.
    assert {f.name for f in SampleChild._meta.get_fields()} == {
        "id",
        "meeting",
        "drawn_from",
        "drawn_as",
        "source",
        "reference",
        "added_by",
    }
    reads_before = AuditEntry.objects.filter(action="person.read").count()
    shown = client.get(f"/service-reviews/meetings/{meeting.pk}/").content.decode()
    assert all(c.reference in shown for c in sample)
    assert shown.count('data-testid="journey"') == 3
    # Each child's sampled record is a decision of the policy function, logged, every time.
    reads = AuditEntry.objects.filter(action="person.read").order_by("pk")[reads_before:]
    assert {e.target for e in reads if e.target.startswith("council_csc/")} >= {
        f"council_csc/{c.reference} (review meeting {meeting.pk})" for c in sample
    }


def test_a_partners_referral_is_refused_with_the_policys_reason_when_no_agreement_covers_it(
    client, people, meeting, linked_place
):
    client.force_login(people["alice"])
    police_ref = _first(linked_place / "partners" / "police_domestic_abuse.csv", "Ref")
    page = client.post(
        f"/service-reviews/meetings/{meeting.pk}/",
        {"step": "referral", "source": "northshire_police", "reference": police_ref},
    )
    assert page.status_code == 400
    body = page.content.decode()
    assert "There is a problem" in body and 'href="#referral-form"' in body
    assert "No agreement in force shares person-level data from Northshire Police" in body
    assert not meeting.sample.exists()
    # The health trust shares its records with the council: that referral is added.
    mrn = _first(linked_place / "partners" / "health_ae_attendances.csv", "MRN")
    added = client.post(
        f"/service-reviews/meetings/{meeting.pk}/",
        {"step": "referral", "source": "northshire_health", "reference": mrn},
    )
    assert added.status_code == 302
    child = meeting.sample.get()
    assert (child.source, child.reference, child.drawn_from) == (
        "northshire_health",
        mrn,
        "referral",
    )
    assert child.drawn_as == "A referral from Northshire NHS Foundation Trust"


def test_a_reference_that_is_not_there_is_refused(client, people, meeting):
    client.force_login(people["alice"])
    page = client.post(
        f"/service-reviews/meetings/{meeting.pk}/",
        {"step": "referral", "source": "northshire_health", "reference": "NOT-A-REF"},
    )
    assert page.status_code == 400
    assert (
        "There is no record with the case reference NOT-A-REF in northshire_health"
        in page.content.decode()
    )


def test_an_invited_partner_sees_what_their_agreements_withhold_named_and_never_the_reference(
    client, people, meeting, linked_place
):
    reference = sorted(_census_ids(linked_place))[0]
    actions.add_sample(
        meeting=meeting,
        drawn_from="referral",
        drawn_as="test",
        records=[("council_csc", reference)],
        by=people["alice"],
    )
    client.force_login(people["charlie"])  # a police practitioner; no agreement shares with police
    page = client.get(f"/service-reviews/meetings/{meeting.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert reference not in body
    assert "Child 1" in body
    assert (
        "The sampled record, from Northshire Council Children&#x27;s Services, is not shown to you: "
        "No agreement in force shares person-level data from Northshire Council Children&#x27;s "
        "Services with Northshire Police for safeguarding children."
    ) in body
    # Nothing else of the child: their links to Charlie's own police records would identify
    # them, and a count of the council's events about them is the council's data.
    journey = page.context["journeys"][0]
    assert (journey.opened, journey.events, journey.withheld) == (False, [], [])
    assert "not shared with you" not in body
    # Invited, Charlie may record a finding; the sample and the changes are the chair's.
    refused = client.post(
        f"/service-reviews/meetings/{meeting.pk}/",
        {"step": "cohort", "start": "2000-01-01", "end": "2100-01-01", "how_many": "3"},
    )
    assert refused.status_code == 403
    assert "sample and the changes agreed are Northshire Council" in refused.content.decode()


def test_a_partner_lead_invited_sees_the_meeting_and_why_their_role_opens_no_record(
    client, people, meeting, linked_place
):
    lead = factories.person("pat", (people["orgs"]["police"], Role.PARTNER_LEAD))
    meeting.schedule.invited.add(lead)
    reference = sorted(_census_ids(linked_place))[0]
    actions.add_sample(
        meeting=meeting,
        drawn_from="referral",
        drawn_as="test",
        records=[("council_csc", reference)],
        by=people["alice"],
    )
    client.force_login(lead)
    assert client.get("/service-reviews/").status_code == 200
    body = client.get(f"/service-reviews/meetings/{meeting.pk}/").content.decode()
    assert reference not in body
    assert "do not include permission to ask to see a person&#x27;s records" in body
    assert "from Northshire Council Children&#x27;s Services" in body


def test_findings_need_a_sample_a_goal_of_the_service_and_words(client, people, meeting):
    client.force_login(people["alice"])
    goal = StrategicGoal.objects.get()
    page = client.post(
        f"/service-reviews/meetings/{meeting.pk}/",
        {"step": "finding", "process": "Step-down", "shows": "Re-referred", "goal": goal.pk},
    )
    assert page.status_code == 400
    assert (
        "Start from children&#x27;s journeys: draw a sample before recording findings."
        in page.content.decode()
    )
    page = client.post(f"/service-reviews/meetings/{meeting.pk}/", {"step": "finding"})
    body = page.content.decode()
    assert page.status_code == 400 and "There is a problem" in body
    for message in (
        "Name the operational process.",
        "Say what the journeys show about the process.",
        "Choose the strategic goal the finding bears on.",
    ):
        assert message in body
    assert 'href="#finding-id_process"' in body


def test_a_change_is_an_action_of_the_engine_carried_to_the_next_data_review_session(
    client, people, meeting, linked_place
):
    alice = people["alice"]
    actions.add_sample(
        meeting=meeting,
        drawn_from="referral",
        drawn_as="test",
        records=[("council_csc", sorted(_census_ids(linked_place))[0])],
        by=alice,
    )
    finding = actions.record_finding(
        meeting=meeting,
        process="Step-down from social care to early help",
        shows="Two of the children were referred again within months of closure.",
        goal=StrategicGoal.objects.get(),
        by=alice,
    )
    earlier = factories.review_session(alice, held_on=date(2026, 3, 1))
    # No data review session after the meeting yet: agreed, and waiting to be carried.
    action = actions.agree_change(
        finding=finding,
        description="Step-down conversation with early help before closure",
        owner="Head of early help",
        due_on=date(2026, 6, 30),
        indicator="re_referrals_12_months",
        team="Place",
        direction="down",
        by=alice,
    )
    assert (action.origin, action.measure, action.indicator, action.team) == (
        Action.Origin.REVIEW_MEETING,
        Action.Measure.INDICATOR,
        "re_referrals_12_months",
        "Place",
    )
    assert action.carried_to is None and earlier.carried_actions.count() == 0
    assert AgreedChange.objects.get().action == action
    assert Action.objects.count() == 1  # the engine's action: no copy elsewhere
    with pytest.raises(
        actions.ServiceReviewError, match="has no data review session after 12 March 2026"
    ):
        actions.carry_changes(meeting=meeting, by=alice)
    later = factories.review_session(alice, held_on=date(2026, 4, 15))
    assert actions.carry_changes(meeting=meeting, by=alice) == 1
    action.refresh_from_db()
    assert action.carried_to == later
    client.force_login(alice)
    follow_up = client.get(f"/learning/reviews/{later.pk}/").content.decode()
    assert "Step-down conversation with early help before closure" in follow_up
    assert 'data-testid="follow-up"' in follow_up
    # A change agreed once a later session exists is carried at once.
    second = actions.agree_change(
        finding=finding,
        description="Early help at the front door",
        owner="MASH manager",
        due_on=date(2026, 6, 30),
        indicator="re_referrals_12_months",
        team="Place",
        direction="down",
        by=alice,
    )
    assert second.carried_to == later


def test_a_change_form_refuses_bad_input_with_the_engines_reasons(
    client, people, meeting, linked_place
):
    alice = people["alice"]
    actions.add_sample(
        meeting=meeting,
        drawn_from="referral",
        drawn_as="test",
        records=[("council_csc", sorted(_census_ids(linked_place))[0])],
        by=alice,
    )
    finding = actions.record_finding(
        meeting=meeting,
        process="Front door",
        shows="Delays",
        goal=StrategicGoal.objects.get(),
        by=alice,
    )
    client.force_login(alice)
    url = f"/service-reviews/meetings/{meeting.pk}/"
    empty = client.post(url, {"step": "change", "target": finding.pk})
    body = empty.content.decode()
    assert empty.status_code == 400 and "There is a problem" in body
    for message in (
        "Say what will change.",
        "Say who owns the change.",
        "Enter the date the change is due.",
        "Say which way the indicator should move.",
    ):
        assert message in body
    early = client.post(
        url,
        {
            "step": "change",
            "target": finding.pk,
            "description": "x",
            "owner": "y",
            "due_on": "2026-03-01",
            "indicator": "re_referrals_12_months",
            "team": "Place",
            "direction": "down",
        },
    )
    assert early.status_code == 400
    assert "The action cannot be due before it was agreed." in early.content.decode()
    assert not Action.objects.exists()


def test_the_schedule_and_meeting_forms_refuse_bad_input(client, people, linked_place):
    client.force_login(people["alice"])
    page = client.post(
        "/service-reviews/",
        {
            "step": "schedule",
            "title": "Weekly",
            "kind": "strategic",
            "every": "month",
            "areas": ["health"],
            "leaders": "x",
        },
    )
    body = page.content.decode()
    assert page.status_code == 400 and "There is a problem" in body
    assert (
        "Choose at least 2 areas of the service: a review brings leaders from different areas together."
        in body
    )
    page = client.post("/service-reviews/", {"step": "meeting"})
    body = page.content.decode()
    assert page.status_code == 400
    for message in (
        "Choose the review this meeting is of.",
        "Enter the date of the meeting.",
        "Say who attended.",
        "Say why the children&#x27;s records are opened.",
    ):
        assert message in body
    assert 'href="#meeting-id_held_on-day"' in body


def test_the_home_page_shows_the_balance_and_warns_when_one_kind_crowds_out_the_other(
    client, people, meeting
):
    from django.utils import timezone

    today = timezone.localdate()
    for _ in range(2):
        actions.hold_meeting(
            schedule=meeting.schedule,
            held_on=today,
            attendees="A",
            purpose="safeguarding",
            by=people["alice"],
        )
    meeting.held_on = today
    meeting.save()
    client.force_login(people["alice"])
    body = client.get("/service-reviews/").content.decode()
    # Three operational meetings and no strategic one in the quarter (and the year).
    assert body.count('data-testid="balance-warning"') == 2
    assert "0 of the 3 meetings held in the last quarter were strategic" in body


def test_the_record_exports_as_the_viewer_may_see_it(client, people, meeting, linked_place):
    alice = people["alice"]
    reference = sorted(_census_ids(linked_place))[0]
    actions.add_sample(
        meeting=meeting,
        drawn_from="referral",
        drawn_as='=HYPERLINK("x")',
        records=[("council_csc", reference)],
        by=alice,
    )
    finding = actions.record_finding(
        meeting=meeting,
        process="=cmd|' /C calc'!A0",
        shows="<b>bold</b>",
        goal=StrategicGoal.objects.get(),
        by=alice,
    )
    actions.agree_change(
        finding=finding,
        description="Change",
        owner="Owner",
        due_on=date(2026, 6, 30),
        indicator="re_referrals_12_months",
        team="Place",
        direction="down",
        by=alice,
    )
    client.force_login(alice)
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/service-reviews/meetings/{meeting.pk}/record.xlsx").content)
    )
    journeys = [[c.value for c in row] for row in book["Children's journeys"].iter_rows(min_row=2)]
    assert journeys and journeys[0][0] == f"Child 1: {reference} (council_csc)"
    assert journeys[0][1] == '\'=HYPERLINK("x")'  # neutralised, never a formula
    findings = [[c.value for c in row] for row in book["Findings and changes"].iter_rows(min_row=2)]
    assert findings[0][0] == "'=cmd|' /C calc'!A0"
    assert findings[0][9] == "Waiting for the next data review session"
    # One child is far too few to count for anyone but the records' own organisation: the health
    # trust's linked events make the counts a partner's, so they are withheld.
    counts = {
        row[0].value: row[1].value for row in book["What the sample shows"].iter_rows(min_row=2)
    }
    assert counts["Referred"] in ("[c]", 1)
    pdf = client.get(f"/service-reviews/meetings/{meeting.pk}/record.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # Charlie, invited, downloads a record without the child's reference.
    client.force_login(people["charlie"])
    theirs = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/service-reviews/meetings/{meeting.pk}/record.xlsx").content)
    )
    cells = [str(c.value) for row in theirs.worksheets for r in row.iter_rows() for c in r]
    assert not any(reference in c for c in cells)
    assert "Child 1" in cells
    their_pdf = client.get(f"/service-reviews/meetings/{meeting.pk}/record.pdf").content
    assert reference.encode() not in their_pdf
    assert AuditEntry.objects.filter(action="service_review.record").count() == 4


def test_the_demo_quarter_has_both_kinds_samples_findings_and_changes(people, linked_place):
    from placewise.service_reviews import demo_data, queries
    from placewise.service_reviews.models import Finding, ReviewMeeting

    today = date(2026, 6, 30)
    council = people["orgs"]["council"]
    demo_data.build(council=council, people=people, today=today)
    demo_data.build(council=council, people=people, today=today)  # once only
    quarter, _ = queries.balance(queries.meetings_held([council]), today=today)
    # Six fortnightly operational meetings; three monthly and one quarterly strategic ones.
    assert (quarter.operational, quarter.strategic) == (6, 4) and quarter.warning == ""
    assert ReviewMeeting.objects.count() == 10
    assert all(m.sample.count() == 3 for m in ReviewMeeting.objects.all())
    assert Finding.objects.count() == 10
    # The last operational meeting and every strategic one agreed a change.
    assert Action.objects.filter(origin=Action.Origin.REVIEW_MEETING).count() == 5


def test_a_partner_who_may_open_the_record_sees_what_other_sources_withhold_named(
    client, people, meeting, linked_place
):
    """Bob's health trust has the council's records under the agreement, not the police's nor
    the schools': of a child whose journey runs through them, he sees the council's events and
    is told what the police and schools hold is not shared, and why."""
    from placewise.service_reviews import queries

    alice, bob = people["alice"], people["bob"]
    actions.add_sample(
        meeting=meeting,
        drawn_from="cohort",
        drawn_as="test",
        records=[("council_csc", r) for r in sorted(_census_ids(linked_place))[:12]],
        by=alice,
    )
    seen_by_alice = queries.journeys(alice, meeting)
    child = next(
        j for j in seen_by_alice if any(w["provider"] == "Northshire Police" for w in j.withheld)
    )
    meeting.schedule.invited.add(bob)
    client.force_login(bob)
    page = client.get(f"/service-reviews/meetings/{meeting.pk}/")
    theirs = page.context["journeys"][child.number - 1]
    assert theirs.opened and theirs.reference == child.child.reference
    assert {e["source"] for e in theirs.events} <= {"council_csc", "northshire_health"}
    police = next(w for w in theirs.withheld if w["provider"] == "Northshire Police")
    assert police["reason"] == (
        "No agreement in force shares person-level data from Northshire Police with Northshire "
        "NHS Foundation Trust for safeguarding children"
    )
    body = page.content.decode()
    assert re.search(r"\d+ events? from Northshire Police (is|are) not shared with you", body)


def test_a_sample_summary_with_every_count_withheld_is_said_in_words_not_a_table_of_c():
    assert not SampleSummary(3, [("Referred", None), ("Assessed", None)], None).shown
    assert SampleSummary(12, [("Referred", 12), ("Assessed", None)], None).shown
    assert not SampleSummary(0, [], None).shown
