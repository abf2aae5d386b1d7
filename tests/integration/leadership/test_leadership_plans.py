"""4C action plans (issue 18, item 1): a plan at the person's level, what they wrote kept as
history, experiments for themselves, their team and the wider system as actions in the one
follow-up engine measured by their own reflection, the sessions they chaired, the timeline and
the downloads. Expected values are worked out by hand from what each test writes."""

import json
from datetime import date

import pytest
from django.urls import reverse

from placewise.leadership import actions, exports, queries
from placewise.leadership.models import Entry, Plan
from placewise.reviews import actions as engine
from placewise.reviews.models import Action, Verdict
from placewise.sharing.models import AuditEntry
from placewise.sharing.permissions import Role
from tests.factories import person, review_session

pytestmark = pytest.mark.django_db

START = date(2026, 1, 5)


def _plan(alice) -> Plan:
    return actions.start_plan(level="head_of_service", started_on=START, by=alice)


def _experiment(plan, scope, **given):
    fields = {
        "capability": "complexity",
        "scope": scope,
        "activity": "",
        "what": f"Try something for {scope}",
        "when_where": "Team meeting, Tuesdays",
        "starts_on": date(2026, 1, 12),
        "review_on": date(2026, 3, 12),
        **given,
    }
    return actions.add_experiment(plan=plan, by=plan.person, **fields)


def test_a_plan_belongs_to_the_persons_organisation_and_lists_what_it_lacks(people):
    plan = _plan(people["alice"])
    assert plan.organisation == people["orgs"]["council"]
    assert plan.get_level_display() == "Head of service"
    # Three scopes without an experiment, and four capabilities each without "where I stand"
    # and "why it matters": 3 + 4 * 2 = 11.
    gaps = queries.missing(plan)
    assert len(gaps) == 11
    assert gaps[:3] == [
        "An experiment for yourself",
        "An experiment for your team or service",
        "An experiment for the wider system",
    ]


def test_starting_a_second_plan_or_without_an_organisation_is_refused(people, db):
    _plan(people["alice"])
    with pytest.raises(actions.LeadershipError, match="You have a plan already"):
        _plan(people["alice"])
    nobody = person("nadia")
    with pytest.raises(actions.LeadershipError, match="not a member of any organisation"):
        actions.start_plan(level="middle_manager", started_on=START, by=nobody)
    with pytest.raises(actions.LeadershipError, match="four pathways"):
        actions.start_plan(level="captain", started_on=START, by=people["bob"])


def test_what_is_written_on_a_capability_is_appended_never_overwritten(people):
    plan = _plan(people["alice"])
    actions.write_capability(
        plan=plan,
        capability="curiosity",
        stand="I ask before deciding",
        why="Families' views",
        on=date(2026, 1, 6),
        by=people["alice"],
    )
    with pytest.raises(actions.LeadershipError, match="Nothing has changed"):
        actions.write_capability(
            plan=plan,
            capability="curiosity",
            stand="I ask before deciding",
            why="Families' views",
            on=date(2026, 1, 7),
            by=people["alice"],
        )
    written = actions.write_capability(
        plan=plan,
        capability="curiosity",
        stand="I ask, and I listen to the answer",
        why="Families' views",
        on=date(2026, 2, 1),
        by=people["alice"],
    )
    assert [e.kind for e in written] == ["stand"]  # the unchanged "why" is not repeated
    stands = plan.entries.filter(capability="curiosity", kind=Entry.Kind.STAND)
    assert [e.text for e in stands] == [
        "I ask before deciding",
        "I ask, and I listen to the answer",
    ]
    current = queries.current(plan)["curiosity"]
    assert current["stand"].text == "I ask, and I listen to the answer"
    assert current["why"].written_on == date(2026, 1, 6)
    # 11 gaps less curiosity's two.
    assert len(queries.missing(plan)) == 9


def test_only_the_person_writes_their_plan(people):
    plan = _plan(people["alice"])
    with pytest.raises(actions.LeadershipError, match="Only Alice Adeyemi writes their plan"):
        actions.write_capability(
            plan=plan, capability="clarity", stand="x", why="", on=START, by=people["bob"]
        )
    with pytest.raises(actions.LeadershipError, match="Only Alice Adeyemi writes their plan"):
        actions.add_experiment(
            plan=plan,
            capability="clarity",
            scope="self",
            activity="",
            what="x",
            when_where="y",
            starts_on=START,
            review_on=date(2026, 2, 1),
            by=people["bob"],
        )


def test_each_experiment_is_an_action_of_the_follow_up_engine_due_on_its_review_date(people):
    plan = _plan(people["alice"])
    experiment = _experiment(plan, "team", activity="data_reviews")
    action = experiment.action
    assert action.origin == Action.Origin.EXPERIMENT
    assert action.measure == Action.Measure.REFLECTION
    assert action.practitioner == people["alice"]
    assert action.organisation == people["orgs"]["council"]
    assert action.due_on == date(2026, 3, 12)
    assert action.from_period == date(2026, 1, 1)
    assert action.owner == "Alice Adeyemi"
    assert action.agreed_at == "4C action plan of Alice Adeyemi"


def test_a_plan_is_complete_with_an_experiment_for_each_scope_and_every_capability_written(people):
    plan = _plan(people["alice"])
    for capability in ("curiosity", "clarity", "complexity", "capacity"):
        actions.write_capability(
            plan=plan, capability=capability, stand="s", why="w", on=START, by=people["alice"]
        )
    _experiment(plan, "self")
    _experiment(plan, "team")
    assert queries.missing(plan) == ["An experiment for the wider system"]
    _experiment(plan, "system")
    assert queries.missing(plan) == []


def test_an_experiment_is_refused_with_its_reason(people):
    plan = _plan(people["alice"])
    with pytest.raises(actions.LeadershipError, match="review date must be after"):
        _experiment(plan, "self", review_on=date(2026, 1, 12))
    with pytest.raises(actions.LeadershipError, match="when and where"):
        _experiment(plan, "self", when_where="  ")
    with pytest.raises(actions.LeadershipError, match="who the experiment is for"):
        _experiment(plan, "galaxy")
    with pytest.raises(actions.LeadershipError, match="starting points"):
        _experiment(plan, "self", activity="juggling")
    assert not Action.objects.filter(origin=Action.Origin.EXPERIMENT).exists()


def test_the_engine_refuses_a_reflection_measure_that_names_no_one(people):
    with pytest.raises(engine.ReviewError, match="Name whose reflection"):
        engine.agree_action(
            origin=Action.Origin.EXPERIMENT,
            organisation=people["orgs"]["council"],
            agreed_at="A plan",
            agreed_on=START,
            description="Try",
            owner="Alice",
            due_on=date(2026, 2, 1),
            direction="up",
            measure=Action.Measure.REFLECTION,
            by=people["alice"],
        )


def test_a_reflection_is_the_follow_up_too_soon_keeps_it_too_early(people):
    plan = _plan(people["alice"])
    experiment = _experiment(plan, "self")
    action = experiment.action
    actions.reflect(
        experiment=experiment,
        written_on=date(2026, 2, 1),
        what_happened="Two meetings so far",
        learned="",
        effect="",
        loop="single",
        by=people["alice"],
    )
    verdict = action.verdicts.get()
    assert verdict.outcome == Verdict.Outcome.TOO_EARLY
    assert "too soon to say" in verdict.evidence["waiting"]
    actions.reflect(
        experiment=experiment,
        written_on=date(2026, 3, 12),
        what_happened="The team now brings the data",
        learned="Ask, then wait",
        effect="as hoped",
        loop="double",
        by=people["alice"],
    )
    latest = action.verdicts.order_by("pk").last()
    assert latest.outcome == Verdict.Outcome.MOVED
    assert latest.loop == Verdict.Loop.DOUBLE
    assert latest.given_at == "Reflection on a 4C experiment, 12 March 2026"
    assert latest.evidence["after_signal"] == "as hoped"
    assert latest.evidence["reflected_on"] == "2026-03-12"
    assert action.verdicts.count() == 2
    with pytest.raises(actions.LeadershipError, match="comes after the action was agreed"):
        actions.reflect(
            experiment=experiment,
            written_on=date(2026, 1, 1),
            what_happened="Before",
            learned="",
            effect="no change",
            loop="single",
            by=people["alice"],
        )
    with pytest.raises(actions.LeadershipError, match="Say what happened"):
        actions.reflect(
            experiment=experiment,
            written_on=date(2026, 3, 13),
            what_happened=" ",
            learned="",
            effect="no change",
            loop="single",
            by=people["alice"],
        )


def test_holding_data_review_sessions_shows_the_sessions_chaired_since_it_started(people):
    alice = people["alice"]
    before = review_session(alice, held_on=date(2026, 1, 8))
    during = review_session(alice, held_on=date(2026, 2, 10), follows=before)
    plan = _plan(alice)
    _experiment(plan, "team", activity="data_reviews")
    rows = queries.experiments(plan, own=True)
    assert [c.session for c in rows[0].chaired] == [during]  # 8 January is before 12 January
    assert queries.experiments(plan, own=False)[0].chaired == []
    assert {c.session for c in queries.chaired_sessions(alice)} == {before, during}


def test_the_timeline_puts_what_was_written_newest_first(people):
    plan = _plan(people["alice"])
    actions.write_capability(
        plan=plan, capability="clarity", stand="Plain", why="", on=date(2026, 1, 20), by=plan.person
    )
    experiment = _experiment(plan, "self", capability="clarity")
    actions.reflect(
        experiment=experiment,
        written_on=date(2026, 3, 1),
        what_happened="Done",
        learned="More",
        effect="no change",
        loop="single",
        by=plan.person,
    )
    actions.change_level(plan=plan, level="practice_leader", on=date(2026, 4, 1), by=plan.person)
    moments = [(m.on, m.kind) for m in queries.timeline(plan)]
    assert moments == [
        (date(2026, 4, 1), "Level"),
        (date(2026, 3, 1), "What happened"),
        (date(2026, 1, 20), "Where I stand now"),
        (date(2026, 1, 12), "Experiment begun"),
        (date(2026, 1, 5), "Level"),
    ]


def test_my_data_holds_the_persons_own_and_nothing_of_anyone_elses(people):
    plan = _plan(people["alice"])
    _experiment(plan, "self", what="Shadow a social worker")
    found = json.loads(exports.my_data_json(people["alice"]))
    assert found["plan"]["level"] == "Head of service"
    assert found["plan"]["experiments"][0]["what"] == "Shadow a social worker"
    assert found["plan"]["experiments"][0]["for"] == "Yourself"
    bobs = json.loads(exports.my_data_json(people["bob"]))
    assert (bobs["plan"], bobs["shared_with"], bobs["coaching"]) == (None, [], [])
    assert "surveys" in bobs  # the 360 rounds, as the surveys app gives them
    logged = AuditEntry.objects.filter(action="leadership.my_data").order_by("seq")
    assert [e.actor for e in logged] == ["alice", "bob"]


def test_the_plan_pdf_holds_the_plan(people):
    plan = _plan(people["alice"])
    actions.write_capability(
        plan=plan, capability="capacity", stand="Growing", why="Staff", on=START, by=plan.person
    )
    _experiment(plan, "system", what="Co-design with parents")
    made = exports.plan_pdf(plan, by=people["alice"])
    assert made.startswith(b"%PDF")
    assert b"Co-design with parents" in made
    assert b"Head of service" in made


def test_forms_refuse_bad_input_with_a_govuk_error_summary(client, people):
    client.force_login(people["alice"])
    page = client.post(reverse("leadership:my_plan"), {})
    assert page.status_code == 400
    text = page.content.decode()
    assert "govuk-error-summary" in text and "Choose your level." in text
    client.post(reverse("leadership:my_plan"), {"level": "head_of_service"})
    plan = Plan.objects.get(person=people["alice"])
    url = reverse("leadership:new_experiment", kwargs={"pk": plan.pk})
    page = client.post(
        url,
        {
            "capability": "clarity",
            "scope": "self",
            "what": "",
            "when_where": "Mondays",
            "starts_on-day": "12",
            "starts_on-month": "1",
            "starts_on-year": "2026",
            "review_on-day": "1",
            "review_on-month": "1",
            "review_on-year": "2026",
        },
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert "govuk-error-summary" in text
    assert "Say what you will try." in text
    assert "The review date must be after the start date." in text
    page = client.post(
        reverse("leadership:plan", kwargs={"pk": plan.pk}),
        {"step": "capability-curiosity", "curiosity-stand": "", "curiosity-why": " "},
    )
    assert page.status_code == 400
    assert "Write where you stand now, why it matters for you, or both." in page.content.decode()


def test_an_experiment_from_a_starting_point_links_to_where_the_product_does_it(client, people):
    plan = _plan(people["alice"])
    client.force_login(people["alice"])
    url = reverse("leadership:new_experiment", kwargs={"pk": plan.pk})
    text = client.get(url, {"activity": "operational_strategic_reviews"}).content.decode()
    assert f'href="{reverse("service_reviews:home")}"' in text
    text = client.get(url, {"activity": "peer_reviews"}).content.decode()
    assert f'href="{reverse("practice:home")}"' in text
    text = client.get(url, {"activity": "co_design"}).content.decode()
    assert "Co-design sessions are still to be built" in text


def test_a_manager_is_a_person_too(people):
    manager = person("dave", (people["orgs"]["council"], Role.TEAM_MANAGER))
    plan = actions.start_plan(level="middle_manager", started_on=START, by=manager)
    assert plan.organisation == people["orgs"]["council"]


def test_the_demo_gives_alice_a_plan_half_done_and_two_coaching_conversations(people):
    from placewise.leadership import demo_data
    from placewise.leadership.models import Conversation

    today = date(2026, 12, 7)
    dana = person("dana", (people["orgs"]["health"], Role.DATA_OWNER))
    demo_data.build(alice=people["alice"], coach=dana, today=today)
    demo_data.build(alice=people["alice"], coach=dana, today=today)  # once only
    plan = Plan.objects.get(person=people["alice"])
    # Curiosity and complexity written (two capabilities), none for the wider system.
    assert queries.missing(plan) == [
        "An experiment for the wider system",
        "Where you stand now on providing clarity",
        "Why providing clarity matters for you",
        "Where you stand now on expanding capacity",
        "Why expanding capacity matters for you",
    ]
    assert Conversation.objects.filter(coaching__coachee=people["alice"]).count() == 2
    wills = queries.commitments(people["alice"])
    assert [w.verdicts.count() for w in wills] == [0, 1]  # newest first: the latest is open
