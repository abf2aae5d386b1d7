"""Cohort journeys group small categories before suppressing, and say what was grouped (issue 15,
item 4). Worked by hand with a threshold of 10: 216 children referred."""

import pytest

from placewise.journeys import cohort

COUNTS = {
    "referred": 216,
    "assessed": 180,
    "section_47": 40,
    "cin_plan": 60,
    "cp_plan": 4,  # small: grouped with looked after (8): 11 children had one or both
    "looked_after": 8,
    "cp_plan_or_looked_after": 11,
    "re_referred": 30,
    "school_before": 3,  # small, and so is the group (7): left apart, each withheld
    "school_after": 5,
    "school_either": 7,
    "police_before": 12,
    "police_after": 2,  # small: grouped with the year before (12): 13 in either year
    "police_either": 13,
    "health_before": 50,  # neither small: not grouped
    "health_after": 60,
    "health_either": 90,
}


@pytest.fixture
def threshold(settings):
    settings.PLACEWISE_DISCLOSURE_THRESHOLD = 10
    settings.PLACEWISE_DISCLOSURE_ROUND_TO = 0


def test_small_rows_are_grouped_and_the_page_says_so(threshold):
    journey = cohort.publish(COUNTS, full=False)
    shown = [(r.key, journey.protected.cells[i][0]) for i, r in enumerate(journey.rows)]
    assert shown == [
        ("assessed", 180),
        ("section_47", 40),
        ("cin_plan", 60),
        ("cp_plan_or_looked_after", 11),
        ("re_referred", 30),
        ("school_before", None),
        ("school_after", None),
        ("police_either", 13),
        ("health_before", 50),
        ("health_after", 60),
    ]
    assert journey.protected.total == 216
    assert journey.grouped == [
        "Child protection plan and Looked after are shown together as 'Child protection plan or "
        "looked after': each counted too few children to show on its own.",
        "Police notification or missing report, year before referral and Police notification or "
        "missing report, year after referral are shown together as 'Police notification or "
        "missing report, year before or after referral': Police notification or missing report, "
        "year after referral counted too few children to show on its own.",
    ]
    police = next(r for r in journey.rows if r.key == "police_either")
    assert police.kinds == ("domestic_abuse_notification", "missing_episode") * 2


def test_ones_own_figures_are_not_grouped(threshold):
    journey = cohort.publish(COUNTS, full=True)
    assert [r.key for r in journey.rows] == [r.key for r in cohort.rows()]
    assert journey.grouped == [] and journey.protected.cells[3][0] == 4


def test_a_small_cohort_is_withheld_whole_and_nothing_is_grouped(threshold):
    tiny = {k: min(v, 6) for k, v in COUNTS.items()} | {"referred": 6}
    journey = cohort.publish(tiny, full=False)
    assert journey.protected.total is None and journey.grouped == []
