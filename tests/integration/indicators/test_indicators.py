"""Every indicator method on hand-worked children, counted on paper (see each comment)."""

import json
from datetime import date, datetime

import pytest

from placewise.indicators import compute
from placewise.store import stores
from placewise.store.queries import run

pytestmark = pytest.mark.django_db


def _events(rows):
    """rows: (token, origin, kind, start, end, team, value, attrs)"""
    with stores.analytic() as store:
        store.execute("INSERT INTO loads VALUES (1, ?)", [datetime(2025, 1, 1)])
        for token, origin, kind, start, end, team, value, attrs in rows:
            store.execute(
                "INSERT INTO events (token, source, origin, kind, start_date, end_date, team, "
                "value, attrs, load_id) VALUES (?, 'council_csc', ?, ?, ?, ?, ?, ?, ?, 1)",
                [
                    token,
                    origin,
                    kind,
                    start,
                    end,
                    team,
                    value,
                    json.dumps(attrs) if attrs else None,
                ],
            )


def _by(query):
    return {
        (r["period"], r["team"]): (float(r["numerator"]), float(r["denominator"]))
        for r in run(query)
    }


def ev(token, kind, start, end=None, team=None, origin="annex_a", value=None, attrs=None):
    return (token, origin, kind, start, end, team, value, attrs)


JUNE = date(2024, 6, 1)


def test_assessments_within_45_working_days_over_easter_and_may_bank_holidays(fresh_stores):
    """From Thursday 28 March 2024, 45 working days skip Good Friday (29 Mar), Easter Monday
    (1 Apr), the early May (6 May) and spring (27 May) bank holidays and the weekends: counted
    day by day, the 45th working day is Wednesday 5 June. So A (to 5 June) is within; B (to
    6 June, the 46th) is not. C is in Annex A (team North) and the CIN census (no team) with the
    same dates: one assessment, 1 working day, within. June: place 2 of 3; North 2/2; South 0/1."""
    _events(
        [
            ev("A", "assessment", date(2024, 3, 28), date(2024, 6, 5), "North"),
            ev("B", "assessment", date(2024, 3, 28), date(2024, 6, 6), "South"),
            ev("C", "assessment", date(2024, 6, 3), date(2024, 6, 4), "North"),
            ev("C", "assessment", date(2024, 6, 3), date(2024, 6, 4), None, origin="cin"),
        ]
    )
    got = _by(compute.within_working_days("assessment", 45))
    assert got == {(JUNE, None): (2, 3), (JUNE, "North"): (2, 2), (JUNE, "South"): (0, 1)}


def test_icpc_within_15_working_days_over_christmas(fresh_stores):
    """S47 starting Friday 20 Dec 2024: 25 and 26 Dec and 1 Jan are bank holidays. Working days
    after it: 23, 24, 27, 30, 31 Dec (5), 2, 3 Jan (7), 6-10 Jan (12), 13, 14, 15 Jan (15). So an
    ICPC on 15 Jan is within; one on 16 Jan is not. An enquiry with no ICPC is not counted."""
    _events(
        [
            ev("D", "section_47", date(2024, 12, 20), date(2025, 1, 15), "East"),
            ev("E", "section_47", date(2024, 12, 20), date(2025, 1, 16), "East"),
            ev("F", "section_47", date(2024, 12, 20), None, "East"),
        ]
    )
    got = _by(compute.within_working_days("section_47", 15))
    assert got[(date(2025, 1, 1), None)] == (1, 2)


def test_re_referrals_within_12_months(fresh_stores):
    """G: referred 1 Jul 2023, 15 Jun 2024 (350 days later: a re-referral), 1 Jul 2025 (381 days
    after the last: not). H: first referral 20 Jun 2024. June 2024: 1 of 2.
    The data starts with Z's referral on 1 Jan 2022: months before 1 Jan 2023 (a year of look-back)
    are left out, as earlier referrals cannot be seen."""
    _events(
        [
            ev("Z", "referral", date(2022, 1, 1), team="East"),
            ev("G", "referral", date(2023, 7, 1), team="North"),
            ev("G", "referral", date(2024, 6, 15), team="North"),
            ev("G", "referral", date(2024, 6, 15), origin="cin"),
            ev("G", "referral", date(2025, 7, 1), team="North"),
            ev("H", "referral", date(2024, 6, 20), team="South"),
        ]
    )
    got = _by(compute.prior_within("referral", 365))
    assert got[(JUNE, None)] == (1, 2)
    assert got[(date(2025, 7, 1), None)] == (0, 1)
    assert got[(date(2023, 7, 1), None)] == (0, 1)
    assert (date(2022, 1, 1), None) not in got


def test_second_or_subsequent_plans_and_plans_lasting_two_years(fresh_stores):
    """I: a plan from June 2024 whose return says 1 previous plan (before our data): second.
    J: plans from 1 Jan 2023 to 9 Jun 2024 (525 days) and from 10 Jun 2024: the second is.
    K: first plan 20 Jun 2024, previous plans 0: not. Started in June: 2 of 3.
    L: a plan 1 May 2022 to 5 Jun 2024 (766 days): lasted 2 years. Ended in June: J's (no) and
    L's (yes): 1 of 2."""
    _events(
        [
            ev("I", "cp_plan", date(2024, 6, 1), attrs={"previous_plans": 1}),
            ev("J", "cp_plan", date(2023, 1, 1), date(2024, 6, 9), attrs={"previous_plans": 0}),
            ev("J", "cp_plan", date(2024, 6, 10)),
            ev("K", "cp_plan", date(2024, 6, 20), attrs={"previous_plans": 0}),
            ev("L", "cp_plan", date(2022, 5, 1), date(2024, 6, 5)),
        ]
    )
    assert _by(compute.prior_ever("cp_plan", "previous_plans"))[(JUNE, None)] == (2, 3)
    assert _by(compute.lasted_at_least("cp_plan", 730))[(JUNE, None)] == (1, 2)


def test_case_closure_rate_and_effectiveness(fresh_stores):
    """Episodes: M 10 Jan - 15 Mar 2024; N from 1 Feb 2024, open; O 1 Mar - 20 Mar 2024.
    Open at 1 Feb: M (closes in March, not February): 0 of 1. Open at 1 Mar: M and N (O starts
    that day, so is not open at its start): M closes: 1 of 2. V 10 Apr - 1 May 2024: open at 1
    Apr is N alone, still open: 0 of 1; at 1 May N and V: V closes: 1 of 2.
    Effectiveness (12 months, data to 1 Jul 2025): M has no later referral: held. O is referred
    again 1 Sep 2024, within 12 months: not. March 2024: 1 of 2."""
    _events(
        [
            ev("M", "cin_episode", date(2024, 1, 10), date(2024, 3, 15), "North"),
            ev("N", "cin_episode", date(2024, 2, 1), None, "North"),
            ev("O", "cin_episode", date(2024, 3, 1), date(2024, 3, 20), "South"),
            ev("V", "cin_episode", date(2024, 4, 10), date(2024, 5, 1), "South"),
            ev("O", "referral", date(2024, 9, 1)),
            ev("P", "referral", date(2025, 7, 1)),
        ]
    )
    closed = _by(compute.closed_in_month("cin_episode"))
    assert closed[(date(2024, 2, 1), None)] == (0, 1)
    assert closed[(date(2024, 3, 1), None)] == (1, 2)
    assert (date(2024, 1, 1), None) not in closed  # nothing was open at 1 January
    assert closed[(date(2024, 4, 1), None)] == (0, 1)  # an open episode is not a closure
    assert closed[(date(2024, 5, 1), None)] == (1, 2)
    held = _by(compute.not_followed_within("cin_episode", "referral", 365))
    assert held[(date(2024, 3, 1), None)] == (1, 2)
    assert held[(date(2024, 3, 1), "South")] == (0, 1)


def test_a_closure_too_recent_to_judge_is_left_out(fresh_stores):
    """Data ends 1 Jul 2025; an episode closed 1 Mar 2025 has not had 12 months: too early."""
    _events(
        [
            ev("Q", "cin_episode", date(2025, 1, 1), date(2025, 3, 1)),
            ev("R", "referral", date(2025, 7, 1)),
        ]
    )
    assert _by(compute.not_followed_within("cin_episode", "referral", 365)) == {}


def test_family_feedback_mean_and_referral_rate(fresh_stores):
    """Two feedback scores in June, 4 and 2: mean 3. Two referrals in June 2024 with 20,000
    children in 2024: 2 / (20,000 / 10,000) = 1 per 10,000. July 2023 has no population row."""
    _events(
        [
            ev("S", "family_feedback", date(2024, 6, 3), team="North", value=4.0),
            ev("T", "family_feedback", date(2024, 6, 10), team="South", value=2.0),
            ev("S", "referral", date(2024, 6, 3)),
            ev("T", "referral", date(2024, 6, 10)),
            ev("U", "referral", date(2023, 7, 1)),
        ]
    )
    feedback = _by(compute.mean_value("family_feedback"))
    assert feedback[(JUNE, None)] == (6, 2)
    assert feedback[(JUNE, "South")] == (2, 1)
    rate = _by(compute.rate_per_10000("referral", {2024: 20_000}))
    assert rate == {(JUNE, None): (2, 2)}
    count = _by(compute.count("referral"))
    assert count[(JUNE, None)] == (2, 1) and count[(date(2023, 7, 1), None)] == (1, 1)


def test_care_leavers_shares_from_their_recorded_attributes(fresh_stores):
    """Three care leavers with a contact in June 2024: V in touch, suitable, in education;
    W in touch, unsuitable, NEET; X not in touch, suitable, employed; Y suitable, NEET, with no
    'in_touch' recorded (so not counted for that share). In touch 2 of 3; suitable 3 of 4 (V, X,
    Y); not NEET 2 of 4 (V, X)."""
    leaver = lambda t, day, **a: ev(t, "care_leaver", date(2024, 6, day), attrs=a)  # noqa: E731
    _events(
        [
            leaver("V", 3, in_touch="Yes", suitable="Suitable", activity="Education"),
            leaver("W", 4, in_touch="Yes", suitable="Unsuitable", activity="NEET"),
            leaver("X", 5, in_touch="No", suitable="Suitable", activity="Employment"),
            leaver("Y", 6, suitable="Suitable", activity="NEET"),
        ]
    )
    assert _by(compute.share_with_attr("care_leaver", "in_touch", ["Yes"], None, False))[
        (JUNE, None)
    ] == (2, 3)
    assert _by(compute.share_with_attr("care_leaver", "suitable", ["Suitable"], None, False))[
        (JUNE, None)
    ] == (3, 4)
    assert _by(compute.share_with_attr("care_leaver", "activity", ["NEET"], None, True))[
        (JUNE, None)
    ] == (2, 4)


def test_adoption_timeliness_a1_and_a2(fresh_stores):
    """Child Z1 entered care 1 Jan 2023 and moved in 11 Jun 2024: 527 days (2023 has 365, so
    1 Jan 2024 is day 365; 11 Jun 2024 is 162 days later: 365 + 162 = 527). Child Z2 entered care
    1 Jun 2023 and moved in 30 Jun 2024: 395 days (1 Jun 2024 is 366 days on, 2024 being leap;
    plus 29). A1 for June 2024: (527 + 395) / 2 = 461. A2: placement order 1 Mar 2024 to match
    31 May 2024 is 91 days (30 + 31 + 30), counted in May."""
    _events(
        [
            ev(
                "Z1",
                "adoption",
                date(2023, 1, 1),
                attrs={
                    "placed": "2024-06-11",
                    "placement_order": "2024-03-01",
                    "matched": "2024-05-31",
                },
            ),
            ev("Z2", "adoption", date(2023, 6, 1), attrs={"placed": "2024-06-30"}),
        ]
    )
    a1 = _by(compute.mean_days_between("adoption", None, "placed"))
    assert a1[(JUNE, None)] == (527 + 395, 2)
    a2 = _by(compute.mean_days_between("adoption", "placement_order", "matched"))
    assert a2 == {(date(2024, 5, 1), None): (91, 1)}


def test_seen_by_schools_and_police_before_and_after_help_across_linked_records(fresh_stores):
    """Child P (council token Pc, school token Ps, police token Pp, one person key) starts a child
    in need episode on 1 Mar 2024: a school suspension on 1 Dec 2023 (before, within a year) and
    a police missing report on 1 May 2024 (after). Child Q starts one on 10 Mar 2024: a suspension
    on 1 Jan 2023 (more than a year before) and none after. Data runs to 1 Jul 2025, so the
    year after March 2024 is complete. Before: 1 of 2; after (police): 1 of 2; after (schools):
    0 of 2."""
    with stores.analytic() as store:
        store.execute("INSERT INTO loads VALUES (1, ?)", [datetime(2025, 1, 1)])
        for token, source, kind, start in [
            ("Pc", "council_csc", "cin_episode", date(2024, 3, 1)),
            ("Ps", "schools", "school_suspension", date(2023, 12, 1)),
            ("Pp", "police", "missing_episode", date(2024, 5, 1)),
            ("Qc", "council_csc", "cin_episode", date(2024, 3, 10)),
            ("Qs", "schools", "school_suspension", date(2023, 1, 1)),
            ("Rc", "council_csc", "referral", date(2025, 7, 1)),
        ]:
            store.execute(
                "INSERT INTO events (token, source, origin, kind, start_date, load_id) "
                "VALUES (?, ?, 'test', ?, ?, 1)",
                [token, source, kind, start],
            )
        for token, key in [("Pc", "P"), ("Ps", "P"), ("Pp", "P"), ("Qc", "Q"), ("Qs", "Q")]:
            store.execute(
                "INSERT INTO person_links VALUES (?, ?, 3, 1.0, ?)",
                [token, key, datetime(2025, 1, 1)],
            )
    march = date(2024, 3, 1)
    before = _by(compute.seen_within("cin_episode", ["school_suspension"], 365, "before", None))
    assert before[(march, None)] == (1, 2)
    police = _by(compute.seen_within("cin_episode", ["missing_episode"], 365, "after", ["police"]))
    assert police[(march, None)] == (1, 2)
    school_after = _by(
        compute.seen_within("cin_episode", ["school_suspension"], 365, "after", None)
    )
    assert school_after[(march, None)] == (0, 2)
    not_police = _by(
        compute.seen_within("cin_episode", ["missing_episode"], 365, "after", ["council_csc"])
    )
    assert not_police[(march, None)] == (0, 2)


def _insert(events, links=(), births=()):
    """events: (token, source, kind, start, end, team, attrs); links: (token, person key);
    births: (token, month of birth)."""
    with stores.analytic() as store:
        store.execute("INSERT INTO loads VALUES (1, ?)", [datetime(2025, 1, 1)])
        for token, source, kind, start, end, team, attrs in events:
            store.execute(
                "INSERT INTO events (token, source, origin, kind, start_date, end_date, team, "
                "attrs, load_id) VALUES (?, ?, 'test', ?, ?, ?, ?, ?, 1)",
                [token, source, kind, start, end, team, json.dumps(attrs) if attrs else None],
            )
        for token, key in links:
            store.execute(
                "INSERT INTO person_links VALUES (?, ?, 2, 1.0, ?)",
                [token, key, datetime(2025, 1, 1)],
            )
        for token, born in births:
            store.execute(
                "INSERT INTO records (token, source, month_of_birth, load_id) "
                "VALUES (?, 'council_csc', ?, 1)",
                [token, born],
            )


def episode(token, start, end, rne, source="council_csc"):
    return (token, source, "cla_episode", start, end, None, {"rne": rne})


NEW_PLACEMENT = ["S", "P", "B", "T", "U"]


def test_short_term_placement_stability_and_going_missing_at_the_month_end(fresh_stores):
    """30 June 2024; the 12 months before begin 2 July 2023. A: placements from 1 Mar 2023 (ends
    1 Aug 2023, inside the year), 1 Aug 2023 and 10 Jan 2024 (open): 3, so counted. B: the first
    placement ended 1 Jun 2023 (before the year); then a placement from 1 Jun 2023 and a change
    of legal status (L, not a move) from 1 Feb 2024: 1 placement in the year. C left care on
    30 June itself, so is not looked after at the month's end. Z only anchors the data's start
    (1 Jan 2022); Y's referral on 1 July its end. Short-term: 1 of 2. Missing in June: A went missing on 10 June (a police report
    on A's linked record); B on 31 May (not June): 1 of 2."""
    _insert(
        [
            episode("A", date(2023, 3, 1), date(2023, 8, 1), "S"),
            episode("A", date(2023, 8, 1), date(2024, 1, 10), "P"),
            episode("A", date(2024, 1, 10), None, "P"),
            episode("B", date(2023, 1, 1), date(2023, 6, 1), "S"),
            episode("B", date(2023, 6, 1), date(2024, 2, 1), "P"),
            episode("B", date(2024, 2, 1), None, "L"),
            episode("C", date(2024, 1, 1), date(2024, 6, 30), "S"),
            episode("Z", date(2022, 1, 1), date(2022, 2, 1), "S"),
            ("Ap", "police", "missing_episode", date(2024, 6, 10), date(2024, 6, 11), None, None),
            (
                "B",
                "council_csc",
                "missing_episode",
                date(2024, 5, 31),
                date(2024, 5, 31),
                None,
                None,
            ),
            ("Y", "council_csc", "referral", date(2024, 7, 1), None, None, None),  # data's end
        ],
        links=[("A", "KA"), ("Ap", "KA")],
    )
    short = _by(
        compute.open_with("cla_episode", days=365, at_least=3, attr="rne", values=NEW_PLACEMENT)
    )
    assert short[(JUNE, None)] == (1, 2)
    missing = _by(compute.open_with("cla_episode", ["missing_episode"]))
    assert missing[(JUNE, None)] == (1, 2)
    council_only = _by(
        compute.open_with("cla_episode", ["missing_episode"], None, 1, ["council_csc"])
    )
    assert council_only[(JUNE, None)] == (0, 2)
    # Before the data holds a whole year (it starts 1 Jan 2022), no month is judged.
    assert not [k for k in short if k[0] < date(2022, 12, 1)]
    members = run(
        compute.open_with(
            "cla_episode",
            days=365,
            at_least=3,
            attr="rne",
            values=NEW_PLACEMENT,
            pick=(JUNE, None),
        )
    )
    assert {(m["who"], m["n"]) for m in members} == {("KA", 1), ("B", 0)}


def test_long_term_placement_stability(fresh_stores):
    """30 June 2024: 2½ years (913 days) before is 30 Dec 2021; the data starts 1 Jan 2021 (Z).
    E: in care from 1 Jun 2021, placed 1 May 2022 (791 days: 2 years or more), aged 12: counted
    and stable. F: in care from 1 Jun 2021, placed 1 Jan 2023, then a legal-status change only
    (L) on 1 Sep 2023: current placement 546 days: counted, not stable. G: in care from 1 Jan
    2023 (546 days): not counted. H: turned 16 on 1 Jun 2024: not counted. J: placed 1 Mar 2021
    with no start of care in the data, so in care since the data began or before: counted,
    stable. Long-term: 2 of 3."""
    _insert(
        [
            episode("Z", date(2021, 1, 1), date(2021, 2, 1), "S"),
            episode("E", date(2021, 6, 1), date(2022, 5, 1), "S"),
            episode("E", date(2022, 5, 1), None, "P"),
            episode("F", date(2021, 6, 1), date(2023, 1, 1), "S"),
            episode("F", date(2023, 1, 1), date(2023, 9, 1), "P"),
            episode("F", date(2023, 9, 1), None, "L"),
            episode("G", date(2023, 1, 1), None, "S"),
            episode("H", date(2021, 6, 1), None, "S"),
            episode("J", date(2021, 3, 1), None, "P"),
            ("Y", "council_csc", "referral", date(2024, 7, 1), None, None, None),  # data's end
        ],
        births=[
            ("Z", date(2015, 1, 1)),
            ("E", date(2012, 1, 1)),
            ("F", date(2010, 5, 1)),
            ("G", date(2011, 1, 1)),
            ("H", date(2008, 6, 1)),
            ("J", date(2013, 1, 1)),
        ],
    )
    stable = _by(compute.stable_placement("cla_episode", 913, 730, 16))
    assert stable[(JUNE, None)] == (2, 3)
    assert not [k for k in stable if k[0] < date(2023, 6, 1)]  # 2½ years of data needed


def test_return_interviews_within_72_hours_and_help_started_in_working_days(fresh_stores):
    """Return interviews (from the end of a council missing episode, 3 calendar days): M1 back
    5 June, offered 7 June (2 days); M2 back 12 June, offered 16 June (4); M3 back 21 June, none;
    M4's episode is a police report only, left out by source. June: 1 of 3.
    Help started (referral to assessment, 10 working days, only referrals assessed within 90
    days): R1 referred Thu 21 Mar 2024, assessed from Fri 5 Apr — 22, 25, 26, 27, 28 Mar, (Good
    Friday, Easter Monday), 2, 3, 4, 5 Apr: 9 working days, in time. R2 assessed from 9 Apr:
    11, late. R3 never assessed and R4 assessed 98 days later: not counted. March: 1 of 2;
    North (R1) 1 of 1, South (R2) 0 of 1."""
    council = "council_csc"
    _insert(
        [
            ("M1", council, "missing_episode", date(2024, 6, 3), date(2024, 6, 5), None, None),
            ("M1", council, "return_interview", date(2024, 6, 7), None, None, None),
            ("M2", council, "missing_episode", date(2024, 6, 10), date(2024, 6, 12), None, None),
            ("M2", council, "return_interview", date(2024, 6, 16), None, None, None),
            ("M3", council, "missing_episode", date(2024, 6, 20), date(2024, 6, 21), None, None),
            ("M4", "police", "missing_episode", date(2024, 6, 3), date(2024, 6, 4), None, None),
            ("R1", council, "referral", date(2024, 3, 21), None, "North", None),
            ("R1", council, "assessment", date(2024, 4, 5), None, "North", None),
            ("R2", council, "referral", date(2024, 3, 21), None, "South", None),
            ("R2", council, "assessment", date(2024, 4, 9), None, "South", None),
            ("R3", council, "referral", date(2024, 3, 25), None, "North", None),
            ("R4", council, "referral", date(2024, 3, 4), None, "North", None),
            ("R4", council, "assessment", date(2024, 6, 10), None, "North", None),
            ("Y", council, "referral", date(2024, 7, 31), None, None, None),  # data runs to here
        ]
    )
    interviews = _by(
        compute.followed_within(
            "missing_episode", "return_interview", 3, anchor="end", sources=[council]
        )
    )
    assert interviews[(JUNE, None)] == (1, 3)
    march = date(2024, 3, 1)
    started = _by(
        compute.followed_within("referral", "assessment", 10, working_days=True, horizon=90)
    )
    assert started[(march, None)] == (1, 2)
    assert started[(march, "North")] == (1, 1) and started[(march, "South")] == (0, 1)
    # July's referral (31 July) cannot be judged: its 90 days are not in the data.
    assert (date(2024, 7, 1), None) not in started
