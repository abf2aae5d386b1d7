"""The public's reach is published quarter by quarter (ADR 0030 and its follow-up), worked by hand
on the two sessions of test_community_reach (10 and 24 March 2026, 50 people: White 30, Asian 12,
Black 3, Mixed 5; Female 35, Male 15) and sessions added here.

Each ended quarter shows its own sessions only (held in it, recorded before it ended), protected
on its own. Before, the public saw running totals: looked at after March and again after June,
they gave by subtraction how many of each group came from April to June, however few."""

from datetime import UTC, date, datetime

import numpy as np
import pytest
from django.template.loader import render_to_string

from placewise.community import actions, queries, reach
from placewise.community.models import Attendance, Session
from placewise.sharing.disclosure import bounds
from tests.integration.community.test_community_reach import engagement_with_two_sessions

pytestmark = pytest.mark.django_db

THRESHOLD = 10


@pytest.fixture(autouse=True)
def disclosure(settings):
    settings.PLACEWISE_DISCLOSURE_THRESHOLD = THRESHOLD
    settings.PLACEWISE_DISCLOSURE_ROUND_TO = 0


def _add(engagement, people, held_on, recorded, counts):
    session = actions.add_session(
        engagement=engagement,
        held_on=held_on,
        mode="in_person",
        groups="Northshire Youth Forum",
        facilitators="Dana Price",
        participants=sum(next(iter(counts.values())).values()),
        counts=counts,
        by=people["alice"],
    )
    Session.objects.filter(pk=session.pk).update(recorded_at=recorded)
    return session


def _ethnicity(engagement, today):
    """Each published quarter, newest first: its months, people and ethnic groups' counts."""
    out = []
    for quarter in queries.public_reach(engagement, today):
        (ethnicity,) = [d for d in quarter.dimensions if d.label == "Ethnic group"]
        counts = {g.group: g.participants for g in ethnicity.groups}
        out.append((quarter.months, quarter.took_part, counts))
    return out


MARCH = ("January to March 2026", 50, {"White": 30, "Asian": None, "Black": None, "Mixed": None})


def test_a_quarter_is_published_once_it_has_ended_and_on_its_own(people):
    engagement = engagement_with_two_sessions(people)
    # 12 more people on 10 April: 8 White, 4 Black.
    _add(
        engagement,
        people,
        date(2026, 4, 10),
        datetime(2026, 4, 10, 17, tzinfo=UTC),
        {"ethnicity": {"White": 8, "Black": 4}},
    )
    # On 30 June the April quarter is running: the public sees January to March alone (50
    # people; White 30 shown; Black 3 and Mixed 5 are under 10, together 8, so Asian 12 is
    # withheld with them or the total less White would give their sum).
    assert _ethnicity(engagement, date(2026, 6, 30)) == [MARCH]
    # On 1 July April to June is published on its own: 12 people, White 8 and Black 4 both
    # under 10 and withheld; Asian 0 and Mixed 0 are shown (a zero is not a person), so White
    # and Black together are 12, each anywhere from 0 to 12. January to March is as it was.
    # (The running totals shown before would have said White 38: 8 more than March's 30.)
    assert _ethnicity(engagement, date(2026, 7, 1)) == [
        ("April to June 2026", 12, {"White": None, "Asian": 0, "Black": None, "Mixed": 0}),
        MARCH,
    ]
    # Those who run the engagement see every session as they record it: 62 now.
    assert queries.took_part(engagement) == 62


def test_a_session_recorded_after_its_quarter_ended_is_not_published(people):
    engagement = engagement_with_two_sessions(people)
    assert _ethnicity(engagement, date(2026, 4, 2)) == [MARCH]
    # A session held on 28 March (20 people: 10 Asian, 10 Mixed) written down on 3 April, after
    # the January quarter ended. It belongs to January to March, which is published already and
    # never changes; so it is never published (ADR 0030, follow-up), however long we wait.
    _add(
        engagement,
        people,
        date(2026, 3, 28),
        datetime(2026, 4, 3, 9, tzinfo=UTC),
        {"ethnicity": {"Asian": 10, "Mixed": 10}},
    )
    for today in (date(2026, 4, 5), date(2026, 7, 1), date(2027, 1, 1)):
        assert _ethnicity(engagement, today) == [MARCH]
    assert queries.took_part(engagement) == 70  # the service's own page counts it


def test_quarters_with_no_sessions_of_their_own_are_left_out(people):
    engagement = engagement_with_two_sessions(people)
    # 14 women on 2 October, their ethnic group not recorded. By 1 January 2027 April to June
    # and July to September have ended with no sessions, and are not shown.
    _add(
        engagement,
        people,
        date(2026, 10, 2),
        datetime(2026, 10, 2, 17, tzinfo=UTC),
        {"sex": {"Female": 14}},
    )
    found = queries.public_reach(engagement, date(2027, 1, 1))
    assert [(q.months, q.sessions, q.took_part) for q in found] == [
        ("October to December 2026", 1, 14),
        ("January to March 2026", 2, 50),
    ]
    assert queries.took_part_in_all(found) == 64
    assert queries.public_reach(engagement, date(2026, 3, 31)) == []  # nothing has ended yet


# Two looks, and what an attacker can work out from them.
#
# A session on 14 May 2026 (recorded that evening): 22 people, White 12 and Asian 10; Female 20
# and Male 2. The true counts, by hand:
#
#   ethnic group  Jan-Mar  Apr-Jun      sex     Jan-Mar  Apr-Jun      took part  Jan-Mar  Apr-Jun
#   White            30       12        Female     35       20                      50       22
#   Asian            12       10        Male       15        2
#   Black             3        0
#   Mixed             5        0
#
# The running totals the page used to show: after March Male 15, after June Male 17; 17 - 15 = 2
# men in April to June, under the threshold of 10. Published quarter by quarter instead:
#
# - Jan-Mar (unchanged from the first look to the second): 50; White 30, Asian, Black and Mixed
#   withheld (above); Female 35, Male 15.
# - Apr-Jun: 22; White 12, Asian 10, Black 0, Mixed 0; Male 2 is withheld, and so is Female 20,
#   or 22 less 20 would give it. Both are anywhere from 0 to 22 to an attacker.
# - Both quarters: 50 + 22 = 72, added up from the published totals.
TRUE = {
    "Ethnic group": [[30, 12, 3, 5], [12, 10, 0, 0]],
    "Sex": [[35, 15], [20, 2]],
}


def _with_a_small_quarter(people):
    engagement = engagement_with_two_sessions(people)
    _add(
        engagement,
        people,
        date(2026, 5, 14),
        datetime(2026, 5, 14, 17, tzinfo=UTC),
        {"ethnicity": {"White": 12, "Asian": 10}, "sex": {"Female": 20, "Male": 2}},
    )
    return engagement


def _shown(found: list[queries.QuarterReach]) -> str:
    """All the public page says of who took part, as the page renders it."""
    context = {
        "quarters": found,
        "took_part": queries.took_part_in_all(found),
        "threshold": THRESHOLD,
        "rule": reach.RULE,
    }
    return render_to_string("community/_public_reach.html", context)


def test_the_figures_after_march_and_after_june_are_as_worked_by_hand(people):
    engagement = _with_a_small_quarter(people)
    (march,) = queries.public_reach(engagement, date(2026, 4, 1))
    june, march_again = queries.public_reach(engagement, date(2026, 7, 1))
    assert march_again == march  # a published quarter never changes
    dimensions = {q.months: {d.label: d for d in q.dimensions} for q in (march, june)}
    published = {
        months: {label: [g.participants for g in d.groups] for label, d in found.items()}
        for months, found in dimensions.items()
    }
    assert published == {
        "January to March 2026": {"Ethnic group": [30, None, None, None], "Sex": [35, 15]},
        "April to June 2026": {"Ethnic group": [12, 10, 0, 0], "Sex": [None, None]},
    }
    assert (march.took_part, june.took_part) == (50, 22)
    assert queries.took_part_in_all([june, march]) == 72
    # Judged on April to June's published numbers alone: of 22, White 12 is 54.5% against 4/5
    # of 70% = 56%, short by 15.5 points; Black 0 and Mixed 0 short by their whole shares.
    ethnicity = dimensions["April to June 2026"]["Ethnic group"]
    assert [(g.group, g.gap_points) for g in ethnicity.under_represented] == [
        ("White", 15.5),
        ("Black", 10.0),
        ("Mixed", 5.0),
    ]
    assert dimensions["April to June 2026"]["Sex"].under_represented == []  # not judged
    text = _shown([june, march])
    assert "Across these 2 quarters, 72 people took part." in text
    assert "Sessions held from April to June 2026" in text
    assert "Sex, April to June 2026" in text


def _attack(looks: list[list[queries.QuarterReach]], cumulative: bool) -> dict[str, list]:
    """What an attacker can work out of each withheld count from every figure published at every
    look, by the disclosure module's own linear programmes (sharing.disclosure.bounds): each
    dimension is a table, a row for each quarter, a column for each group. Published: the cells
    shown, each quarter's total, and the total of all quarters where shown. With `cumulative`,
    also each group's total over the quarters (the column sums), as the running totals published
    before gave them."""
    seen: dict[str, queries.QuarterReach] = {}
    for look in looks:
        for quarter in look:
            # Two looks at a quarter must agree, or their difference is a figure of its own.
            assert seen.setdefault(quarter.months, quarter) == quarter
    ordered = sorted(seen.values(), key=lambda q: q.quarter.starts)
    all_quarters = queries.took_part_in_all(ordered)
    found = {}
    for label, true in TRUE.items():
        table = np.array(true)
        rows = [{d.label: d for d in q.dimensions}[label] for q in ordered]
        hidden = np.array([[g.participants is None for g in d.groups] for d in rows])
        for r, d in enumerate(rows):  # what is shown is the true count
            assert [g.participants for g in d.groups] == [
                None if hide else int(n) for hide, n in zip(hidden[r], table[r], strict=True)
            ]
            assert d.total in (None, int(table[r].sum()))
        hidden_rows = np.array([d.total is None for d in rows])
        hidden_columns = np.full(table.shape[1], not cumulative)
        low, high = bounds(table, hidden, hidden_rows, hidden_columns, all_quarters is None)
        cells = [tuple(map(int, rc)) for rc in np.argwhere(hidden)]
        found[label] = [
            (ordered[r].months, rows[r].groups[c].group, int(table[r, c]), lo, hi)
            for (r, c), lo, hi in zip(cells, low, high, strict=True)
        ]
    return found


def test_nothing_published_after_march_and_after_june_gives_away_a_small_group(people):
    engagement = _with_a_small_quarter(people)
    looks = [queries.public_reach(engagement, day) for day in (date(2026, 4, 1), date(2026, 7, 1))]
    found = _attack(looks, cumulative=False)
    withheld = [(months, group) for cells in found.values() for months, group, *_ in cells]
    assert withheld == [
        ("January to March 2026", "Asian"),
        ("January to March 2026", "Black"),
        ("January to March 2026", "Mixed"),
        ("April to June 2026", "Female"),
        ("April to June 2026", "Male"),
    ]
    for cells in found.values():
        for months, group, n, lo, hi in cells:
            # As sharing.disclosure judges a cell exposed: pinned to one count, or known small.
            assert hi - lo >= 0.5, (months, group, lo, hi)
            assert not (0 < n < THRESHOLD and hi < THRESHOLD - 0.5), (months, group, lo, hi)
    # The 2 men of April to June: anywhere from 0 to 22.
    assert ("April to June 2026", "Male", 2, 0.0, 22.0) in found["Sex"]


def test_the_attack_finds_the_two_men_in_running_totals(people):
    """The check above can fail: given the running totals by group the page used to publish
    (Male 15 after March, 17 after June: the column sums), the same programmes pin April to
    June's men to exactly 2."""
    engagement = _with_a_small_quarter(people)
    looks = [queries.public_reach(engagement, day) for day in (date(2026, 4, 1), date(2026, 7, 1))]
    found = _attack(looks, cumulative=True)
    men = [cell for cell in found["Sex"] if cell[:2] == ("April to June 2026", "Male")]
    assert men == [("April to June 2026", "Male", 2, 2.0, 2.0)]


def test_the_page_is_the_same_whatever_the_withheld_counts_were(people):
    """Indistinguishability, as tests/unit/sharing/test_publication_attacker.py: April to June
    with 17 women and 5 men is withheld just as 20 and 2 are (5 under 10; 22 less 17 would give
    it, so 17 goes too). Everything the page says of who took part, after March and after June,
    must be the same text for both, or it says something about the withheld counts."""
    engagement = _with_a_small_quarter(people)
    days = (date(2026, 4, 1), date(2026, 7, 1))
    before = [_shown(queries.public_reach(engagement, day)) for day in days]
    may = Session.objects.get(engagement=engagement, held_on=date(2026, 5, 14))
    Attendance.objects.filter(session=may, dimension="sex", group="Female").update(count=17)
    Attendance.objects.filter(session=may, dimension="sex", group="Male").update(count=5)
    after = [_shown(queries.public_reach(engagement, day)) for day in days]
    assert after == before
    # The twins do differ, and the service's own page (every count) shows it: men 15 + 5.
    (sex,) = [d for d in queries.reach_of(engagement) if d.dimension == "sex"]
    assert [(g.group, g.participants) for g in sex.groups] == [("Female", 52), ("Male", 20)]
