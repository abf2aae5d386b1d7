"""The demo's leadership development (issue 18): Alice has a 4C action plan half done — two
capabilities written, experiments for herself and her service with one reflected on, none yet
for the wider system — and two coaching conversations with Dana (the health trust's data owner,
coaching across organisations, as systems leadership enablers do), the second opening on what
happened to the first one's Will. Everything is written through leadership.actions.

Called from placewise.demo.build once the people exist (after `_agreements`, which makes Dana):

    from placewise.leadership import demo_data as leadership_demo
    leadership_demo.build(
        alice=users["alice"], coach=User.objects.get(username="dana"), today=date.today()
    )
"""

from datetime import date, timedelta

from django.contrib.auth.models import User

from placewise.leadership import actions, queries


def build(*, alice: User, coach: User, today: date) -> None:
    """Idempotent: does nothing if Alice already has a plan."""
    if queries.plan_of(alice) is not None:
        return
    began = today - timedelta(days=70)
    plan = actions.start_plan(level="head_of_service", started_on=began, by=alice)
    actions.write_capability(
        plan=plan,
        capability="curiosity",
        stand="I ask good questions in supervision but I decide too quickly in meetings.",
        why="Families tell us we make up our minds before we have heard them.",
        on=began,
        by=alice,
    )
    actions.write_capability(
        plan=plan,
        capability="complexity",
        stand="I carry the service's competing demands in my head instead of sharing them.",
        why="The teams cannot weigh trade-offs they never see.",
        on=began + timedelta(days=2),
        by=alice,
    )
    actions.write_capability(
        plan=plan,
        capability="curiosity",
        stand="I now ask the team what they see before I say what I see. Still rushed in panels.",
        why="Families tell us we make up our minds before we have heard them.",
        on=today - timedelta(days=10),
        by=alice,
    )
    mine = actions.add_experiment(
        plan=plan,
        capability="complexity",
        scope="self",
        activity="cross_functional_project",
        what="Lead the joint discharge-planning project with the health trust",
        when_where="Fortnightly project board, from next month",
        starts_on=began + timedelta(days=7),
        review_on=today - timedelta(days=3),
        by=alice,
    )
    actions.add_experiment(
        plan=plan,
        capability="complexity",
        scope="team",
        activity="data_reviews",
        what="Hold a monthly data review with the team managers",
        when_where="First Tuesday of each month, in the team managers' meeting",
        starts_on=began + timedelta(days=7),
        review_on=today + timedelta(days=20),
        by=alice,
    )
    actions.reflect(
        experiment=mine,
        written_on=today - timedelta(days=3),
        what_happened="The board met four times; the trust's lead now chairs every other one.",
        learned="Sharing the chair made the trade-offs visible to both sides.",
        effect="as hoped",
        loop="single",
        by=alice,
    )
    coaching = actions.start_coaching(coach=coach, coachee=alice, since=began, by=alice)
    first = actions.record_conversation(
        coaching=coaching,
        held_on=began + timedelta(days=14),
        goal="Let the team managers lead the data review",
        reality="I present the charts myself and the room waits for my view.",
        options="Send the charts a week ahead; ask a manager to open; stay quiet for ten minutes.",
        recorded="together",
        by=coach,
    )
    will = actions.commit(
        conversation=first,
        what="Ask a team manager to open the next data review",
        review_on=began + timedelta(days=45),
        by=coach,
    )
    second = actions.record_conversation(
        coaching=coaching,
        held_on=began + timedelta(days=49),
        goal="Make it a habit",
        reality="",
        options="",
        recorded="consented",
        by=alice,
    )
    actions.follow_up_commitment(
        conversation=second,
        action=will,
        what_happened="Nina opened it; the discussion lasted twice as long and I said less.",
        learned="Silence is an invitation.",
        effect="as hoped",
        loop="single",
        by=alice,
    )
    actions.commit(
        conversation=second,
        what="Rotate who opens the review each month",
        review_on=today + timedelta(days=14),
        by=alice,
    )
