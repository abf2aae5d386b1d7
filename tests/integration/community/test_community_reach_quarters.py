"""The public's reach changes only when a quarter ends (ADR 0030), worked by hand on the two
sessions of test_community_reach (10 and 24 March 2026, 50 people: White 30, Asian 12, Black 3,
Mixed 5). Before, reach moved with every session recorded, so a look the day before and the day
after a session gave that session's counts away."""

from datetime import UTC, date, datetime

import pytest

from placewise.community import actions, queries
from placewise.community.models import Session
from tests.integration.community.test_community_reach import engagement_with_two_sessions

pytestmark = pytest.mark.django_db


def _add(engagement, people, held_on, recorded, ethnicity):
    session = actions.add_session(
        engagement=engagement,
        held_on=held_on,
        mode="in_person",
        groups="Northshire Youth Forum",
        facilitators="Dana Price",
        participants=sum(ethnicity.values()),
        counts={"ethnicity": ethnicity},
        by=people["alice"],
    )
    Session.objects.filter(pk=session.pk).update(recorded_at=recorded)


def _ethnicity(engagement, today):
    took_part, dimensions = queries.public_reach(engagement, today)
    (ethnicity,) = [d for d in dimensions if d.label == "Ethnic group"]
    return took_part, {g.group: g.participants for g in ethnicity.groups}


def test_the_quarter_still_running_is_not_counted(people):
    engagement = engagement_with_two_sessions(people)
    # 12 more people on 10 April: 8 White, 4 Black.
    _add(
        engagement,
        people,
        date(2026, 4, 10),
        datetime(2026, 4, 10, 17, tzinfo=UTC),
        {"White": 8, "Black": 4},
    )
    # On 30 June the April quarter is running: the public sees January to March (50 people;
    # White 30 shown, the rest withheld as before).
    assert _ethnicity(engagement, date(2026, 6, 30)) == (
        50,
        {"White": 30, "Asian": None, "Black": None, "Mixed": None},
    )
    # On 1 July it has ended: 62 people, White 38, Asian 12, Black 7, Mixed 5. Black 7 and Mixed
    # 5 are under 10 and withheld; together they are 12, not too few, so Asian 12 can be shown
    # (in March, Black 3 and Mixed 5 together were 8, and Asian was withheld with them).
    assert _ethnicity(engagement, date(2026, 7, 1)) == (
        62,
        {"White": 38, "Asian": 12, "Black": None, "Mixed": None},
    )
    # Those who run the engagement see every session as they record it: 62 now.
    assert queries.took_part(engagement) == 62


def test_a_session_recorded_after_its_quarter_ended_does_not_change_it(people):
    engagement = engagement_with_two_sessions(people)
    before = _ethnicity(engagement, date(2026, 4, 2))
    assert before[0] == 50
    # A session held on 28 March (20 people: 10 Asian, 10 Mixed) written down on 3 April, after
    # the January quarter ended. Counted, it would make 70 people.
    _add(
        engagement,
        people,
        date(2026, 3, 28),
        datetime(2026, 4, 3, 9, tzinfo=UTC),
        {"Asian": 10, "Mixed": 10},
    )
    assert _ethnicity(engagement, date(2026, 4, 5)) == before
    assert _ethnicity(engagement, date(2026, 6, 30)) == before
    # It is counted when the quarter it was recorded in ends: 70 people; White 30, Asian 22,
    # Black 3 (withheld), Mixed 15; Black alone under 10 could be told from the total, so the
    # next smallest, Mixed 15, is withheld with it.
    assert _ethnicity(engagement, date(2026, 7, 1)) == (
        70,
        {"White": 30, "Asian": 22, "Black": None, "Mixed": None},
    )
