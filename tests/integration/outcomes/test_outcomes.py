"""Outcomes pages and the data review loop, on the 6,000-child synthetic place (loaded once per
session). Expected figures are counted from the place's files here, not by the code under test."""

from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from defusedxml import ElementTree
from django.urls import reverse

from placewise.indicators import compute, library
from placewise.outcomes import data
from placewise.outcomes.models import IndicatorChange
from placewise.reviews.models import Action, ReviewSession, Verdict
from placewise.sharing.models import AuditEntry
from placewise.store.queries import run
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(outcome_loaded):
    return outcome_loaded


def referrals_in_files(place: Path) -> dict[str, set[date]]:
    """Each council child's referral dates, read from the CIN census and Annex A List 3 with the
    standard library and openpyxl: a referral in both returns is one referral."""
    found: dict[str, set[date]] = defaultdict(set)
    for child in ElementTree.parse(place / "council" / "cin_census.xml").iter("Child"):
        child_id = child.findtext("ChildIdentifiers/LAchildID")
        for cell in child.iter("CINreferralDate"):
            found[child_id].add(date.fromisoformat(cell.text))
    for row in annex_a_list_3(place):
        when = row["Date of Referral"]
        if row["Child Unique ID"] and when:
            found[row["Child Unique ID"]].add(when.date() if isinstance(when, datetime) else when)
    return found


def re_referrals_in_files(place: Path) -> list[dict[str, object]]:
    """Per month: referrals of a child referred in the 365 days before (numerator) and all
    referrals (denominator), counted from the files; months before a year of look-back are left
    out (the DfE definition; integration/test_indicators.py works the rule by hand)."""
    found = referrals_in_files(place)
    first = min(when for dates in found.values() for when in dates)
    months: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for dates in found.values():
        previous = None
        for when in sorted(dates):
            if (when - first).days >= 365:
                month = months[when.replace(day=1)]
                month[0] += previous is not None and (when - previous).days <= 365
                month[1] += 1
            previous = when
    return [
        {"period": period, "numerator": n, "denominator": d}
        for period, (n, d) in sorted(months.items())
    ]


def annex_a_list_3(place: Path) -> list[dict[str, object]]:
    book = openpyxl.load_workbook(place / "council" / "annex_a.xlsx", read_only=True)
    try:
        rows = book["List 3"].iter_rows(values_only=True)
        header = next(rows)
        return [dict(zip(header, row, strict=False)) for row in rows]
    finally:
        book.close()


def test_the_overview_reads_every_signal_for_the_council(place, client, people):
    client.force_login(people["alice"])
    response = client.get(reverse("outcomes:overview"))
    assert response.status_code == 200
    groups = response.context["groups"]
    shown = {(e["signal"].indicator.key, e["signal"].team) for g in groups.values() for e in g}
    assert shown == {(s.indicator.key, s.team) for s in data.all_signals()}
    assert ("assessments_within_45_days", "Place") in shown


def test_a_partner_sees_the_place_only_and_no_small_counts(place, client, people):
    client.force_login(people["bob"])
    response = client.get(reverse("outcomes:overview"))
    assert response.status_code == 200
    entries = [e for g in response.context["groups"].values() for e in g]
    assert entries and all(e["signal"].team == "Place" for e in entries)
    # The family feedback survey is not shared with the health trust.
    assert response.context["hidden"] >= 1
    page = client.get(
        reverse("outcomes:indicator", args=["assessments_within_45_days"]), {"team": "North"}
    )
    assert page.context["team"] == "Place"
    for row in page.context["rows"]:
        for field in ("numerator", "denominator"):
            assert row[field] == "[c]" or float(row[field]) == 0 or float(row[field]) >= 10
    teams = client.get(reverse("outcomes:teams", args=["assessments_within_45_days"]))
    assert "place-only" in teams.content.decode()
    refused = client.get(reverse("outcomes:indicator", args=["family_feedback"]))
    assert refused.status_code == 403
    assert "no agreement in force shares" in refused.content.decode()


def test_the_indicator_page_shows_the_referrals_counted_in_the_files(place, client, people):
    """Referrals a month for the place, as the page shows them to the council, against a count
    made here from the two returns (one per child per day, whichever return holds it)."""
    expected: dict[date, int] = defaultdict(int)
    for dates in referrals_in_files(place).values():
        for when in dates:
            expected[when.replace(day=1)] += 1
    assert len(expected) >= 24 and sum(expected.values()) > 300  # the files hold a real series
    client.force_login(people["alice"])
    response = client.get(reverse("outcomes:indicator", args=["referrals"]), {"team": "Place"})
    assert response.status_code == 200
    shown = {row["period"]: int(row["numerator"]) for row in response.context["rows"]}
    assert shown == dict(expected)
    assert "<svg" in response.content.decode()


def test_the_team_funnel_for_the_council(place, client, people):
    client.force_login(people["alice"])
    response = client.get(reverse("outcomes:teams", args=["assessments_within_45_days"]))
    assert response.status_code == 200
    teams = {t["team"] for t in response.context["table"]}
    # Every team the council's referrals are allocated to in its Annex A, no more and no fewer.
    allocated = {row["Allocated Team"] for row in annex_a_list_3(place) if row["Allocated Team"]}
    assert len(allocated) == 5
    assert teams == allocated


@pytest.mark.slow  # a whole review loop, pack and PDF included
def test_the_review_loop_from_signal_to_verdict(place, client, people):
    client.force_login(people["alice"])
    signals = [s for s in data.all_signals() if s.team == "Place"]
    assert signals
    response = client.post(
        reverse("reviews:reviews"),
        {"team": "Place", "held_on": "2026-01-15", "attendees": "Alice\nTeam managers"},
    )
    assert response.status_code == 302
    session = ReviewSession.objects.get()
    expected = {
        s.indicator.key for s in signals if s.variation != "common cause" or s.assurance == "pass"
    }
    assert {i.indicator for i in session.items.all()} == expected
    outside = [s.indicator.key for s in signals if s.indicator.key not in expected]
    key = outside[0] if outside else sorted(expected)[0]
    if key not in expected:
        client.post(
            reverse("reviews:review", args=[session.pk]), {"step": "add_item", "indicator": key}
        )
    item = session.items.get(indicator=key)
    client.post(
        reverse("reviews:review", args=[session.pk]),
        {
            "step": "discussion",
            "target": item.pk,
            "interpretations": "Conference slots fill up in the holidays",
            "reasons": "Two chairs left",
        },
    )
    bad = client.post(
        reverse("reviews:review", args=[session.pk]),
        {
            "step": "action",
            "target": item.pk,
            "description": "Book more slots",
            "owner": "",
            "due_on": "2026-03-01",
            "direction": "up",
        },
    )
    assert bad.status_code == 400 and "Say who owns the action." in bad.content.decode()
    client.post(
        reverse("reviews:review", args=[session.pk]),
        {
            "step": "action",
            "target": item.pk,
            "description": "Book more conference slots",
            "owner": "Service manager",
            "due_on": "2026-03-01",
            "direction": "up",
        },
    )
    action = Action.objects.get()
    assert (action.indicator, action.from_period) == (key, date(2026, 1, 1))

    client.post(
        reverse("reviews:reviews"),
        {"team": "Place", "held_on": "2026-04-15", "attendees": "Alice", "follows": session.pk},
    )
    follow_up = ReviewSession.objects.get(follows=session)
    page = client.get(reverse("reviews:review", args=[follow_up.pk]))
    assert [f["action"] for f in page.context["follow_ups"]] == [action]
    missing = client.post(
        reverse("reviews:review", args=[follow_up.pk]),
        {"step": "verdict", "target": action.pk, "loop": "single"},
    )
    assert (
        missing.status_code == 400 and "Say whether the measure moved." in missing.content.decode()
    )
    broken = client.post(
        reverse("reviews:review", args=[follow_up.pk]),
        {
            "step": "verdict",
            "target": action.pk,
            "outcome": "too_early",
            "loop": "double",
            "change": "redefine",
            "change_settings": 'polarity = "sideways"',
            "change_reason": "Measure from the strategy discussion",
        },
    )
    assert broken.status_code == 400
    assert "polarity must be &#x27;up&#x27; or &#x27;down&#x27;" in broken.content.decode()
    assert not Verdict.objects.exists() and not IndicatorChange.objects.exists()
    # The place's data ends in March 2026 (synth's reference date): three months since the
    # action began in January, too few for the chart's rules, so "no change" is not yet a finding.
    early = client.post(
        reverse("reviews:review", args=[follow_up.pk]),
        {"step": "verdict", "target": action.pk, "outcome": "no_change", "loop": "single"},
    )
    assert early.status_code == 400
    assert "3 months of data since the action began" in early.content.decode()
    assert not Verdict.objects.exists()
    client.post(
        reverse("reviews:review", args=[follow_up.pk]),
        {
            "step": "verdict",
            "target": action.pk,
            "outcome": "too_early",
            "loop": "double",
            "change": "retire",
            "change_reason": "Conferences are now booked centrally; the measure no longer tells us about practice",
        },
    )
    verdict = Verdict.objects.get()
    assert (verdict.outcome, verdict.loop) == ("too_early", "double")
    assert "before_mean" in verdict.evidence
    change = IndicatorChange.objects.get()
    assert change.change == "retire" and change.verdict == verdict
    assert key not in data.indicators() and key in library.load()
    overview = client.get(reverse("outcomes:overview"))
    shown = {e["signal"].indicator.key for g in overview.context["groups"].values() for e in g}
    assert key not in shown
    assert AuditEntry.objects.filter(action="review.verdict", actor="alice").count() == 1
    # The pack is made by a job (run at once in tests), downloaded from the job's page.
    pack = _pack(client, "reviews:review_pack", follow_up)
    assert pack[:2] == b"PK"
    board = _pack(client, "reviews:review_pack_pdf", follow_up)
    assert board[:5] == b"%PDF-" and b"Verdict: Too early to tell" in board
    first = _pack(client, "reviews:review_pack_pdf", session)
    assert b"Conference slots fill up in the holidays" in first


def _pack(client, name: str, session: ReviewSession) -> bytes:
    started = client.post(reverse(name, args=[session.pk]))
    assert started.status_code == 302 and started["Location"].startswith("/data/jobs/")
    job = client.get(started["Location"])
    assert job.status_code == 200 and 'data-testid="download"' in job.content.decode()
    download = client.get(started["Location"] + "download/")
    assert download.status_code == 200
    return b"".join(download.streaming_content)


def test_a_partner_cannot_run_a_review(place, client, people):
    client.force_login(people["bob"])
    response = client.post(
        reverse("reviews:reviews"),
        {"team": "Place", "held_on": "2026-01-15", "attendees": "Bob"},
    )
    assert response.status_code == 403
    assert "run data review sessions" in response.content.decode()
    assert not ReviewSession.objects.exists()


@pytest.mark.slow  # every chart worked out three times
def test_a_recorded_step_change_rebases_the_limits(place, client, people):
    from placewise.outcomes.models import StepChange

    client.force_login(people["alice"])
    url = reverse("outcomes:indicator", args=["referrals"]) + "?team=Place"
    before = client.get(url).context["signal"].months
    month = before[len(before) // 2].period
    bad = client.post(url, {"period": "April", "reason": "New front door"})
    assert bad.status_code == 400 and "like 2025-04" in bad.content.decode()
    response = client.post(url, {"period": f"{month:%Y-%m}", "reason": "New front door"})
    assert response.status_code == 302
    after = client.get(url).context["signal"].months
    phase_one = {p.mean for p in after if p.period < month}
    phase_two = {p.mean for p in after if p.period >= month}
    assert len(phase_one) == len(phase_two) == 1 and phase_one != phase_two
    again = client.post(url, {"period": f"{month:%Y-%m}", "reason": "twice"})
    assert again.status_code == 400 and "already recorded" in again.content.decode()
    assert AuditEntry.objects.filter(action="indicator.step", actor="alice").count() == 1
    client.force_login(people["bob"])
    client.post(url, {"period": "2024-01", "reason": "not mine to say"})
    assert StepChange.objects.count() == 1


def test_the_children_behind_a_month_through_the_policy_function(place, client, people, settings):
    """Alice (the council) asks who was re-referred in a month: every child counted is listed
    with their council case reference, each of them really had a referral that month, and the
    read is one audited policy decision; without a purpose nothing is listed."""
    from placewise.store.pseudonymise import Tokeniser

    rows = re_referrals_in_files(place)
    month = max(rows, key=lambda r: r["numerator"])
    period = month["period"]
    client.force_login(people["alice"])
    url = reverse("outcomes:children", args=["re_referrals_12_months"])
    asked = client.get(url, {"period": f"{period:%Y-%m}"})
    assert asked.status_code == 200 and "members" not in asked.context
    response = client.get(url, {"period": f"{period:%Y-%m}", "purpose": "safeguarding"})
    assert response.status_code == 200
    listed = response.context["members"]
    assert response.context["counted_total"] == month["denominator"]
    assert response.context["in_numerator"] == month["numerator"]
    assert len(listed) <= month["denominator"]  # a child referred twice is listed once
    assert response.context["withheld"] == 0
    tokeniser = Tokeniser(settings.PLACE_SECRET)
    month_end = date(period.year + period.month // 12, period.month % 12 + 1, 1)
    for member in listed:
        (record,) = member["records"]
        assert record["source"] == "council_csc"
        token = tokeniser.token("council_csc", record["reference"])
        referrals = run(
            compute.Query(
                "SELECT count(*) AS n FROM events WHERE token = ? AND kind = 'referral' "
                "AND start_date >= ? AND start_date < ?",
                [token, period, month_end],
            )
        )
        assert referrals[0]["n"] >= 1, record
    reads = AuditEntry.objects.filter(action="person.read", target__contains="children behind")
    assert reads.count() == 1 and reads.get().allowed
    assert "re_referrals_12_months" in reads.get().target
    assert reverse("journeys:find") in response.content.decode()


# Closures a month: most months' figures are published to a partner, some are withheld.
CLOSURES = "case_closure_rate"


def test_the_children_behind_a_month_are_refused_without_a_person_level_agreement(
    place, client, people
):
    """Bob's trust has the council's data in aggregate and at person level for safeguarding only
    (the demo agreement): for another purpose the council's records are refused, with why."""
    client.force_login(people["bob"])
    # A month whose figure is published to his organisation (withheld months are refused first).
    month = _published_months(client, CLOSURES)[0]
    url = reverse("outcomes:children", args=[CLOSURES])
    response = client.get(url, {"period": f"{month['period']:%Y-%m}", "purpose": "public_health"})
    assert response.status_code == 200
    assert response.context["refused"]
    assert all(not m["records"] for m in response.context["members"])
    denied = AuditEntry.objects.filter(action="person.read", allowed=False)
    assert denied.filter(target__contains="children behind").exists()


def test_a_partner_sees_the_children_behind_the_place_only_and_no_withheld_month(
    place, client, people
):
    """The children behind a month follow the indicator's own rules (issue 12, defect 6): a
    partner asking for a team is shown the place, and a month whose count is under the threshold
    is refused, not listed as "2 children"."""
    # The council's own exact figures, and the months whose count (or its complement) is under
    # the threshold of 10.
    client.force_login(people["alice"])
    own = _own_months(client, CLOSURES, "Place")
    small = {p for p, (n, d) in own.items() if 0 < n < 10 or 0 < d - n < 10}
    assert small and len(small) < len(own)
    # A team's month with a small count (teams' series are too thin to chart: read the table).
    small_team = next(
        (r.team, r.period)
        for r in data.table()
        if r.indicator == CLOSURES and r.team != "Place" and 0 < r.numerator < 10
    )
    client.force_login(people["bob"])
    shown = {r["period"] for r in _published_months(client, CLOSURES)}
    assert not shown & small  # no small month is published to him
    published = min(shown)
    url = reverse("outcomes:children", args=[CLOSURES])
    # A team's small month: bob is shown the place's month instead, never the team's count.
    team, period = small_team
    response = client.get(
        url, {"period": f"{period:%Y-%m}", "team": team, "purpose": "safeguarding"}
    )
    if period in shown:
        assert response.status_code == 200
        assert response.context["team"] == "Place"
        assert response.context["counted_total"] == own[period][1]
    else:
        assert response.status_code == 403
    assert f"Team {team}" not in response.content.decode()
    # The place's own small months are refused with the reason, and list nobody.
    for month in sorted(small):
        refused = client.get(url, {"period": f"{month:%Y-%m}"})
        assert refused.status_code == 403, month
        text = refused.content.decode()
        assert "is withheld from your organisation" in text and "children" in text
        assert "members" not in (refused.context or {})
    ok = client.get(url, {"period": f"{published:%Y-%m}"})
    assert ok.status_code == 200 and ok.context["counted_total"] == own[published][1]
    # A purpose not on the list is refused, not read as the one given before.
    bogus = client.get(url, {"period": f"{published:%Y-%m}", "purpose": "bogus"})
    assert bogus.status_code == 403 and "not a purpose" in bogus.content.decode()
    # The indicator's table links only the months whose figure is published to him.
    table = client.get(reverse("outcomes:indicator", args=[CLOSURES]))
    links = table.content.decode().count(f"/outcomes/indicators/{CLOSURES}/children/")
    assert links == len(shown) < len(own)


def _own_months(client, key: str, team: str) -> dict[date, tuple[float, float]]:
    """The signed-in data owner's exact numerator and denominator a month (none for a series
    with too few cases to chart)."""
    page = client.get(reverse("outcomes:indicator", args=[key]), {"team": team})
    assert page.status_code == 200 and page.context["team"] == team
    rows = page.context.get("rows", [])
    return {r["period"]: (float(r["numerator"]), float(r["denominator"])) for r in rows}


def _published_months(client, key: str) -> list[dict[str, object]]:
    """The place's months of an indicator whose figure the signed-in partner is shown, from the
    indicator's own table as he sees it (a withheld month shows [c], and so may one withheld
    to protect another)."""
    table = client.get(reverse("outcomes:indicator", args=[key]), {"team": "Place"})
    assert table.status_code == 200
    published = [r for r in table.context["rows"] if not r["withheld"]]
    assert published, f"no month of {key} is published to this partner"
    return published


def _partner_series_with_a_small_month(user):
    """A place series the user sees as a partner, with a month whose count of children (or its
    complement) is under 10: read from the indicator's own counts."""
    from placewise.outcomes.views import visible

    views, _ = visible(user)
    for signal in data.all_signals():
        view = views.get(signal.indicator.key)
        if (
            view is None
            or view.full
            or signal.team != "Place"
            or not signal.indicator.is_proportion
        ):
            continue
        small = [
            i
            for i, (n, d) in enumerate(zip(signal.numerators, signal.denominators, strict=True))
            if 0 < n < 10 or 0 < d - n < 10
        ]
        if small:
            return signal, small
    raise AssertionError("the outcome place should have a partner series with a small month")


def test_a_partner_page_prints_no_limit_of_a_series_with_a_withheld_month(place, client, people):
    """Issue 14's leak: the p-chart limits of a withheld month gave its denominator back. For a
    partner, a series with a withheld month shows no mean, limits or signals at all."""
    signal, small = _partner_series_with_a_small_month(people["bob"])
    client.force_login(people["bob"])
    response = client.get(
        reverse("outcomes:indicator", args=[signal.indicator.key]), {"team": "Place"}
    )
    assert response.status_code == 200
    rows = response.context["rows"]
    for i in small:
        assert rows[i]["numerator"] == "[c]" and rows[i]["value"] == "[c]"
    assert all(
        (r["mean"], r["lower"], r["upper"], r["rules"]) == ("[c]",) * 3 + ("",) for r in rows
    )
    page = response.content.decode()
    assert 'class="pw-chart__limit"' not in page and 'class="pw-chart__mean"' not in page
    assert "are not shown: they are worked out from months whose counts are withheld" in page
    assert signal.highlight not in page
    # A dot for each published month only, and the line breaks at each withheld one between them.
    shown = [r["value"] != "[c]" for r in rows]
    assert page.count('class="pw-chart__point') == sum(shown)
    runs = sum(1 for i, ok in enumerate(shown) if ok and (i == 0 or not shown[i - 1]))
    assert page.count('class="pw-chart__line"') == runs
    # Alice's council provided every source: she sees the limits.
    client.force_login(people["alice"])
    own = client.get(reverse("outcomes:indicator", args=[signal.indicator.key]), {"team": "Place"})
    assert own.context["rows"][small[0]]["lower"] != "[c]"
    assert 'class="pw-chart__limit"' in own.content.decode()


@pytest.mark.slow  # two sessions and their follow-up
def test_a_partners_follow_up_gives_no_mean_of_a_series_with_a_withheld_month(
    place, client, people
):
    """A partner's review session follows an action on such a series: the before and after means
    are worked out from the withheld month, so they are withheld, and so is the signal."""
    from placewise.sharing.permissions import Role

    erin = factories.person("erin", (people["orgs"]["health"], Role.TEAM_MANAGER))
    signal, _ = _partner_series_with_a_small_month(erin)
    client.force_login(erin)
    assert (
        client.post(
            reverse("reviews:reviews"),
            {"team": "Place", "held_on": "2026-01-15", "attendees": "Erin"},
        ).status_code
        == 302
    )
    session = ReviewSession.objects.get()
    review = reverse("reviews:review", args=[session.pk])
    if not session.items.filter(indicator=signal.indicator.key).exists():
        client.post(review, {"step": "add_item", "indicator": signal.indicator.key})
    item = session.items.get(indicator=signal.indicator.key)
    assert signal.highlight != item.highlight and "withheld" in item.highlight
    client.post(
        review,
        {
            "step": "action",
            "target": item.pk,
            "description": "Ask the council about it",
            "owner": "Erin",
            "due_on": "2026-03-01",
            "direction": "up",
        },
    )
    client.post(
        reverse("reviews:reviews"),
        {"team": "Place", "held_on": "2026-04-15", "attendees": "Erin", "follows": session.pk},
    )
    follow_up = ReviewSession.objects.get(follows=session)
    page = client.get(reverse("reviews:review", args=[follow_up.pk]))
    (entry,) = page.context["follow_ups"]
    assert entry["before"] == entry["after"] == "[c]"
    assert entry["evidence"]["after_signal"] == "withheld"
    assert 'class="pw-chart__limit"' not in page.content.decode()


@pytest.mark.slow  # a page per indicator
def test_no_indicator_with_data_vanishes_from_the_overview(place, client, people):
    """Issue 15: statutory indicators without enough months were on no page. Every indicator in
    the library that counts a loaded source is on the council's overview: charted, or listed with
    why not, in months."""
    client.force_login(people["alice"])
    response = client.get(reverse("outcomes:overview"))
    charted = {e["signal"].indicator.key for g in response.context["groups"].values() for e in g}
    waiting = {w["indicator"].key: w["state"] for w in response.context["waiting"]}
    with_data = {key for key, i in library.load().items() if data.sources_of(i)}
    assert with_data <= charted | set(waiting)
    assert not charted & set(waiting)
    for key, state in waiting.items():
        rows = [
            r
            for r in data.table()
            if r.indicator == key and r.team == "Place" and r.value is not None
        ]
        if len(rows) < 8:
            assert state == f"Not enough data yet: needs 8 months, has {len(rows)}.", key
        else:
            assert state.startswith("Too few cases a month"), key
        page = client.get(reverse("outcomes:indicator", args=[key]))
        assert page.status_code == 200 and state in page.content.decode()
