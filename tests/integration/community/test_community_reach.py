"""Reach worked by hand, and the population loader's refusals.

The hand-made place: a population of 1,000 by ethnic group (White 700, Asian 150, Black 100,
Mixed 50: shares 70%, 15%, 10%, 5%) and by sex (Female 510, Male 490: 51%, 49%). Two sessions,
50 people in all:

    ethnic group   session 1  session 2  together  share   4/5 of population share  under?
    White              20         10        30      60%      56%                    no
    Asian               8          4        12      24%      12%                    no
    Black               2          1         3       6%       8%                    YES, gap 4.0
    Mixed               0          5         5      10%       4%                    no

    sex            session 1  session 2  together  share   4/5 of population share  under?
    Female             25         10        35      70%      40.8%                  no
    Male                5         10        15      30%      39.2%                  YES, gap 19.0

On paper: two groups under-represented, Black people by 4.0 points and men by 19.0 points.
"""

from datetime import UTC, date, datetime, time

import pytest

from placewise.community import actions, population, queries, reach
from placewise.community.models import PopulationRow, PopulationTable, Session

pytestmark = pytest.mark.django_db

POPULATION_CSV = """dimension,group,observation
ethnicity,White,700
ethnicity,Asian,150
ethnicity,Black,100
ethnicity,Mixed,50
sex,Female,510
sex,Male,490
"""


def engagement_with_two_sessions(people):
    council, alice = people["orgs"]["council"], people["alice"]
    table = actions.load_population(
        organisation=council,
        title="Northshire",
        source="Census 2021",
        text=POPULATION_CSV,
        by=alice,
    )
    engagement = actions.start_engagement(
        organisation=council,
        title="Early help for families",
        question="What would make it easier to ask for help early?",
        started_on=date(2026, 3, 1),
        indicator="help_started_within_10_working_days",
        population=table,
        by=alice,
    )
    common = {
        "mode": "in_person",
        "groups": "Northshire Somali Women's Group",
        "facilitators": "Dana Price",
        "by": alice,
    }
    actions.add_session(
        engagement=engagement,
        held_on=date(2026, 3, 10),
        participants=30,
        counts={
            "ethnicity": {"White": 20, "Asian": 8, "Black": 2},
            "sex": {"Female": 25, "Male": 5},
        },
        **common,
    )
    actions.add_session(
        engagement=engagement,
        held_on=date(2026, 3, 24),
        participants=20,
        counts={
            "ethnicity": {"White": 10, "Asian": 4, "Black": 1, "Mixed": 5},
            "sex": {"Female": 10, "Male": 10},
        },
        **common,
    )
    recorded_on_the_day(engagement)
    return engagement


def recorded_on_the_day(engagement):
    """As if each session had been written down on its day (the public's reach counts what was
    recorded before its quarter ended)."""
    for session in engagement.sessions.all():
        Session.objects.filter(pk=session.pk).update(
            recorded_at=datetime.combine(session.held_on, time(17), tzinfo=UTC)
        )


def test_reach_names_the_groups_counted_on_paper(people):
    engagement = engagement_with_two_sessions(people)
    found = {d.dimension: d for d in queries.reach_of(engagement)}
    ethnicity, sex = found["ethnicity"], found["sex"]
    assert [(g.group, g.participants) for g in ethnicity.groups] == [
        ("White", 30),
        ("Asian", 12),
        ("Black", 3),
        ("Mixed", 5),
    ]
    assert [(g.group, g.gap_points) for g in ethnicity.under_represented] == [("Black", 4.0)]
    assert [(g.group, g.gap_points) for g in sex.under_represented] == [("Male", 19.0)]
    assert ethnicity.not_known == 0 and sex.not_known == 0
    assert queries.took_part(engagement) == 50


def test_the_rule_is_four_fifths_of_the_population_share():
    assert reach.is_under_represented(0.079, 0.10)
    assert not reach.is_under_represented(0.08, 0.10)  # exactly four fifths is reached
    # A group nobody came from is under-represented by its whole share.
    [absent] = reach.compare({"White": 10}, {"White": 90, "Gypsy or Irish Traveller": 10})[1:]
    assert absent.under_represented and absent.gap_points == 10.0


def test_unknowns_are_left_out_of_the_shares(people):
    engagement = engagement_with_two_sessions(people)
    actions.add_session(
        engagement=engagement,
        held_on=date(2026, 4, 1),
        mode="online",
        groups="Online",
        facilitators="Dana Price",
        participants=10,
        counts={"sex": {"Male": 10}},
        by=people["alice"],
    )
    found = {d.dimension: d for d in queries.reach_of(engagement)}
    # Ten people whose ethnic group was not recorded: shares stay as before.
    assert found["ethnicity"].not_known == 10
    assert [g.group for g in found["ethnicity"].under_represented] == ["Black"]
    # Men are now 25 of 60: 41.7%, above 39.2%.
    assert found["sex"].under_represented == []


def test_the_public_sees_reach_through_disclosure_control(people):
    engagement = engagement_with_two_sessions(people)
    # On 7 December 2026 three quarters have ended since March; only January to March had
    # sessions, and it is the only one published.
    (march,) = queries.public_reach(engagement, date(2026, 12, 7))
    assert (march.quarter.starts, march.quarter.ends) == (date(2026, 1, 1), date(2026, 4, 1))
    assert (march.months, march.sessions, march.took_part) == ("January to March 2026", 2, 50)
    sex, ethnicity = march.dimensions  # in the order of Dimension
    # Black 3 and Mixed 5 are under the threshold of 10; together 8, each could be told small
    # from the total, so the next smallest, Asian 12, is withheld too. White 30 of 50 is shown.
    assert [(g.group, g.participants) for g in ethnicity.groups] == [
        ("White", 30),
        ("Asian", None),
        ("Black", None),
        ("Mixed", None),
    ]
    assert [g.under_represented for g in ethnicity.groups] == [False, None, None, None]
    assert [(g.group, g.gap_points) for g in sex.under_represented] == [("Male", 19.0)]


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("area,name,count\nsex,Male,1\n", "Row 1, column 'area,name,count'"),
        (
            "dimension,group,observation\nsex,Male,490\nreligion,None,3\n",
            "Row 3, column 'dimension': 'religion' is not one of",
        ),
        ("dimension,group,observation\nsex,,490\n", "Row 2, column 'group': is empty"),
        (
            "dimension,group,observation\nsex,Male,-4\n",
            "Row 2, column 'observation': '-4' is not a whole number",
        ),
        (
            "dimension,group,observation\nsex,Male,4\nsex,Male,5\n",
            "Row 3, column 'group': 'Male' is already counted in row 2",
        ),
        ("dimension,group,observation\nsex,Male\n", "Row 2, column 'dimension': has 2 values"),
        ("dimension,group,observation\n", "the file has no rows of figures"),
    ],
)
def test_a_faulty_population_file_is_refused_whole_with_row_column_and_reason(people, text, fault):
    with pytest.raises(population.PopulationFileError) as refused:
        actions.load_population(
            organisation=people["orgs"]["council"],
            title="Bad",
            source="Hand-made",
            text=text,
            by=people["alice"],
        )
    assert fault in str(refused.value)
    assert not PopulationTable.objects.exists() and not PopulationRow.objects.exists()


def test_every_fault_is_named_not_only_the_first():
    with pytest.raises(population.PopulationFileError) as refused:
        population.read("dimension,group,observation\nsex,Male,x\nage,,5\n")
    assert [str(f) for f in refused.value.faults] == [
        "Row 2, column 'observation': 'x' is not a whole number",
        "Row 3, column 'dimension': 'age' is not one of age_band, sex, ethnicity, area, "
        "disability, care_experience",
        "Row 3, column 'group': is empty",
    ]
