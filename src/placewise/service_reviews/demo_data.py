"""A quarter of operational and strategic reviews for the demo place, made through the app's own
actions: the service's strategic goals, three reviews on the schedule, ten meetings in the
last thirteen weeks, each starting from a sample of children drawn from the loaded data, with
findings and process changes agreed as actions of the follow-up engine."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings

from placewise.journeys import cohort
from placewise.service_reviews import actions, queries
from placewise.service_reviews.models import ReviewSchedule
from placewise.sharing.models import Organisation
from placewise.store.queries import run

GOALS = (
    ("Children safe at home", "Fewer children need to come into care or back to the front door."),
    ("Help early", "Families get help before problems grow, from whoever sees them first."),
    ("Decisions in the child's time", "Assessments and plans on time, without drift."),
)

# (title, kind, every, areas, leaders, days before today each meeting was held)
SCHEDULES: tuple[tuple[str, str, str, list[str], str, tuple[int, ...]], ...] = (
    (
        "Front door operational review",
        "operational",
        "fortnight",
        ["social_care", "early_help", "police", "health"],
        "Head of children's social care\nHead of early help\nDetective inspector, MASH\n"
        "Named nurse for safeguarding",
        (84, 70, 56, 42, 28, 14),
    ),
    (
        "Early help strategy group",
        "strategic",
        "month",
        ["early_help", "schools", "health"],
        "Director of children's services\nHead of early help\nHead of inclusion, schools\n"
        "Designated nurse",
        (75, 45, 15),
    ),
    (
        "Partnership outcomes board",
        "strategic",
        "quarter",
        ["social_care", "early_help", "health", "police", "schools"],
        "Director of children's services\nChief superintendent\nICB director of nursing\n"
        "Head of education",
        (60,),
    ),
)

# (process, what the journeys show, goal, change, owner, indicator, direction)
FINDINGS = (
    (
        "Step-down from social care to early help",
        "Of the children sampled, several came back to the front door within months of their "
        "case closing; none had a named early help worker when it closed.",
        "Children safe at home",
        "A step-down conversation with the family and early help before every closure",
        "Head of early help",
        "re_referrals_12_months",
        "down",
    ),
    (
        "Assessments started from police notifications",
        "Journeys that began with a police notification waited longest for an assessment to "
        "start: the notification reached the front door days after the incident.",
        "Decisions in the child's time",
        "Police notifications to the front door on the next working day",
        "Detective inspector, MASH",
        "assessments_within_45_days",
        "up",
    ),
    (
        "What schools and health saw first",
        "School absence and A&E attendances came before the first referral in most journeys: "
        "the first people to see a problem were not the ones who could refer.",
        "Help early",
        "A shared early help request from schools and health, triaged with the front door",
        "Head of inclusion, schools",
        "referrals",
        "down",
    ),
)


def build(*, council: Organisation, people: dict[str, Any], today: date) -> None:
    """`people`: the demo's users by username (alice chairs; charlie is invited). Done once: a
    place that has reviews on its schedule already is left as it is."""
    if ReviewSchedule.objects.filter(organisation=council).exists():
        return
    chair = people["alice"]
    goals = {
        title: actions.add_goal(title=title, description=about, by=chair, organisation=council)
        for title, about in GOALS
    }
    span = run(cohort.referral_dates(settings.PLACEWISE_COUNCIL_SOURCE))
    last = span[0]["last"] if span else None
    for number, (title, kind, every, areas, leaders, days) in enumerate(SCHEDULES):
        schedule = actions.create_schedule(
            title=title,
            kind=kind,
            every=every,
            areas=areas,
            leaders=leaders,
            invited=[people["charlie"]] if "police" in areas and "charlie" in people else [],
            by=chair,
            organisation=council,
        )
        for i, before in enumerate(days):
            meeting = actions.hold_meeting(
                schedule=schedule,
                held_on=today - timedelta(days=before),
                attendees=leaders,
                purpose="safeguarding",
                by=chair,
            )
            if last is None:
                continue  # nothing loaded: meetings without a sample
            # Each meeting looks at a different quarter of the data's referrals.
            end = last - timedelta(days=91 * ((number + i) % 4))
            try:
                drawn_as, records = queries.cohort_children(
                    chair,
                    start=end - timedelta(days=90),
                    end=end,
                    purpose="safeguarding",
                    how_many=3,
                )
            except queries.SampleError:
                continue
            actions.add_sample(
                meeting=meeting, drawn_from="cohort", drawn_as=drawn_as, records=records, by=chair
            )
            process, shows, goal, change, owner, indicator, direction = FINDINGS[
                (number + i) % len(FINDINGS)
            ]
            finding = actions.record_finding(
                meeting=meeting, process=process, shows=shows, goal=goals[goal], by=chair
            )
            if i == len(days) - 1 or kind == "strategic":
                actions.agree_change(
                    finding=finding,
                    description=change,
                    owner=owner,
                    due_on=meeting.held_on + timedelta(days=90),
                    indicator=indicator,
                    team="Place",
                    direction=direction,
                    by=chair,
                )
