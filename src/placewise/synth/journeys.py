"""Children's journeys through council children's social care, with the dynamics real services show:
contact → referral → assessment → CIN / child protection / looked after, re-referrals, teams that
differ in timeliness, and in each team one injected trend and one step change (the ground truth the
SPC signals must find)."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from placewise.indicators.working_days import add_working_days
from placewise.sources import codes
from placewise.synth.addresses import TEAMS
from placewise.synth.people import Child

# Team differences in assessment timeliness (mean working days to authorisation).
TEAM_ASSESSMENT_DAYS = {"North": 30, "South": 36, "East": 26, "West": 40, "Central": 33}
# The injected step: from its month, assessments wait this many more working days for authorisation.
STEP_DAYS = 15
# Contacts that become referrals, and the injected trend: a rise of this much a month, for so many
# months (42% to 72%: a material change, such as a front door's thresholds moving; ADR 0010).
CONVERSION, CONVERSION_RISE, TREND_MONTHS = 0.42, 0.06, 5
TEAM_ICPC_DAYS = {"North": 11, "South": 13, "East": 10, "West": 15, "Central": 12}


@dataclass(frozen=True)
class Signal:
    team: str
    measure: str
    kind: str  # "step" or "trend"
    start_month: date
    description: str


@dataclass
class Placement:
    start: date
    end: date | None
    place: str
    provider: str
    reason_change: str | None = None


@dataclass
class CarePeriod:
    start: date
    end: date | None
    legal_status: str
    category_of_need: str
    placements: list[Placement] = field(default_factory=list)
    missing: list[tuple[date, date | None, str]] = field(default_factory=list)
    reviews: list[date] = field(default_factory=list)
    reason_ceased: str | None = None
    return_interview_offered: bool | None = None
    # Missing episode's start → the day a return home interview was offered.
    return_interviews: dict[date, date] = field(default_factory=dict)
    adoption: dict[str, date | None] | None = None


@dataclass
class Episode:
    """One referral and what followed: a CINdetails block in the census."""

    team: str
    worker: str
    contact_date: date
    referral_date: date
    source: str
    nfa: bool
    referrals_12m: int
    need: str | None = None
    assessment: tuple[date, date | None] | None = None
    needs_support: bool = False
    s47: tuple[date, date | None, bool] | None = None  # start, ICPC date, ICPC not required
    cp_plan: tuple[date, date | None, str, str] | None = (
        None  # start, end, initial, latest category
    )
    previous_plans: int = 0
    cin_plan: tuple[date, date | None] | None = None
    closure: date | None = None
    closure_reason: str | None = None
    care: CarePeriod | None = None


@dataclass
class Journey:
    child: Child
    council_id: str
    contacts: list[tuple[date, str]] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)


def add_months(day: date, months: int) -> date:
    total = day.month - 1 + months
    return date(day.year + total // 12, total % 12 + 1, 1)


def team_signals(rng: random.Random, start: date, months: int) -> list[Signal]:
    """For each team: a step change in assessment timeliness and a trend in referrals."""
    signals = []
    for team in TEAMS:
        step = add_months(start, rng.randrange(months // 3, 2 * months // 3))
        trend = add_months(start, rng.randrange(months // 4, months // 2))
        signals.append(
            Signal(
                team,
                "assessment_working_days",
                "step",
                step,
                f"Team {team}: assessments take {STEP_DAYS} more working days to authorise "
                f"from {step:%B %Y}, those under way included",
            )
        )
        signals.append(
            Signal(
                team,
                "referrals",
                "trend",
                trend,
                f"Team {team}: contacts converting to referrals rise steadily "
                f"from {trend:%B %Y} for {TREND_MONTHS} months",
            )
        )
    return signals


class Service:
    """Generates each child's journey under the place's dynamics."""

    def __init__(self, rng: random.Random, start: date, end: date, signals: list[Signal]) -> None:
        self.rng, self.start, self.end = rng, start, end
        self.step = {s.team: s.start_month for s in signals if s.kind == "step"}
        self.trend = {s.team: s.start_month for s in signals if s.kind == "trend"}
        self.workers = {t: [f"SW{t[:1]}{n:02d}" for n in range(1, 13)] for t in TEAMS}

    def _day(self, after: date, before: date) -> date:
        span = (before - after).days
        return after + timedelta(days=self.rng.randrange(max(span, 1)))

    def _conversion(self, team: str, when: date) -> float:
        base = CONVERSION
        trend_start = self.trend.get(team)
        if trend_start is not None and when >= trend_start:
            months = min(
                (when.year - trend_start.year) * 12 + when.month - trend_start.month + 1,
                TREND_MONTHS,
            )
            base += CONVERSION_RISE * months
        return base

    def journey(self, child: Child, council_id: str) -> Journey | None:
        rng = self.rng
        # Most children never reach children's social care; a minority have repeated contact.
        rate = 0.9 if rng.random() < 0.11 else 0.015
        years = (self.end - self.start).days / 365.25
        born = child.identity.date_of_birth
        adult = date(born.year + 18, born.month, min(born.day, 28))
        # Each child's journey is lived from birth, though the data shows only its last years: so
        # the place is in its steady state when the data begins (children already open to the
        # service are not referred again; earlier plans count as previous plans), not filling up
        # from empty, which made the first year's referrals a falling trend (ADR 0010).
        first, last = born, min(self.end, adult)
        if max(first, self.start) >= last:
            return None
        n_contacts = _poisson(
            rng, rate * years * (last - first).days / (self.end - self.start).days
        )
        if n_contacts == 0:
            return None
        journey = Journey(child, council_id)
        days = sorted(self._day(first, last) for _ in range(n_contacts))
        busy_until = first
        referral_dates: list[date] = []
        for contact in days:
            source = rng.choice(codes.REFERRAL_SOURCE)
            journey.contacts.append((contact, source))
            if contact < busy_until or rng.random() > self._conversion(child.team, contact):
                continue
            referral = min(contact + timedelta(days=rng.randrange(0, 3)), self.end)
            recent = sum(1 for d in referral_dates if (referral - d).days <= 365)
            referral_dates.append(referral)
            episode = self._episode(child, contact, referral, source, recent, journey)
            journey.episodes.append(episode)
            busy_until = episode.closure or self.end
        # Before the data begins: lived (it shapes who is open, and previous plans), not returned.
        journey.contacts = [c for c in journey.contacts if c[0] >= self.start]
        journey.episodes = [e for e in journey.episodes if e.referral_date >= self.start]
        return journey if journey.contacts else None

    def _episode(
        self,
        child: Child,
        contact: date,
        referral: date,
        source: str,
        recent: int,
        journey: Journey,
    ) -> Episode:
        rng, team = self.rng, child.team
        ep = Episode(
            team,
            rng.choice(self.workers[team]),
            contact,
            referral,
            source,
            nfa=rng.random() < 0.28,
            referrals_12m=recent,
        )
        if ep.nfa:
            ep.closure, ep.closure_reason = referral, "RC8"
            return self._clip(ep)
        duration = max(1, int(rng.lognormvariate(0, 0.35) * TEAM_ASSESSMENT_DAYS[team]))
        start = referral + timedelta(days=rng.randrange(0, 4))
        authorised = add_working_days(start, duration)
        step = self.step.get(team)
        if step is not None and authorised >= step:
            # The step, as a service lives it: from that month every assessment waits longer
            # to be authorised, those already under way too (so the measure moves that month).
            authorised = add_working_days(authorised, STEP_DAYS)
        ep.assessment = (start, authorised)
        ep.need = rng.choices(
            ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9"), (47, 4, 4, 6, 19, 3, 3, 4, 10)
        )[0]
        ep.needs_support = rng.random() < 0.6
        if not ep.needs_support:
            ep.closure = authorised
            ep.closure_reason = rng.choice(("RC8", "RC9"))
            return self._clip(ep)
        if rng.random() < 0.3:
            s47 = start + timedelta(days=rng.randrange(0, 10))
            if rng.random() < 0.35:
                ep.s47 = (s47, None, True)
            else:
                icpc_days = max(1, int(rng.gauss(TEAM_ICPC_DAYS[team], 3)))
                icpc = add_working_days(s47, icpc_days)
                ep.s47 = (s47, icpc, False)
                if rng.random() < 0.75:
                    category = rng.choices(codes.CATEGORY_OF_ABUSE, (48, 12, 5, 32, 3))[0]
                    plan_days = int(rng.lognormvariate(5.6, 0.6))
                    plan_end = icpc + timedelta(days=plan_days)
                    ep.previous_plans = sum(1 for e in journey.episodes if e.cp_plan)
                    ep.cp_plan = (icpc, plan_end, category, category)
        if ep.cp_plan is None:
            cin_start = authorised
            ep.cin_plan = (cin_start, cin_start + timedelta(days=int(rng.lognormvariate(5.3, 0.5))))
        care_chance = 0.25 if ep.cp_plan else 0.04
        if rng.random() < care_chance:
            ep.care = self._care(child, (ep.cp_plan or ep.cin_plan or (authorised, None))[0])
        ends = [part[1] for part in (ep.cp_plan, ep.cin_plan) if part is not None]
        if ep.care is not None:
            ends.append(ep.care.end)
        ep.closure = (
            None
            if any(e is None for e in ends)
            else max((e for e in ends if e), default=authorised)
        )
        ep.closure_reason = "RC1" if ep.care and ep.care.adoption else "RC7"
        return self._clip(ep)

    def _care(self, child: Child, start: date) -> CarePeriod:
        rng = self.rng
        age = (start - child.identity.date_of_birth).days / 365.25
        period = CarePeriod(
            start,
            None,
            rng.choices(("C2", "V2", "E1", "C1"), (45, 30, 5, 20))[0],
            rng.choices(codes.CATEGORY_OF_NEED, (60, 3, 3, 12, 4, 2, 2, 14))[0],
        )
        length = int(rng.lognormvariate(6.2, 0.8))
        end = start + timedelta(days=length)
        adopted = age < 4 and rng.random() < 0.35
        cursor = start
        while cursor < end:
            stay = int(rng.lognormvariate(5.5, 0.9))
            place_end = min(cursor + timedelta(days=max(stay, 14)), end)
            place = (
                "A5"
                if adopted and place_end == end
                else rng.choices(
                    ("U1", "U3", "U4", "U5", "K2", "R1", "P1"), (20, 35, 10, 10, 12, 5, 8)
                )[0]
            )
            period.placements.append(
                Placement(
                    cursor,
                    place_end,
                    place,
                    rng.choice(("PR1", "PR2", "PR4", "PR5")),
                    rng.choice(("CARPL", "CHILD", "LAREQ", "PLACE")),
                )
            )
            cursor = place_end
        if age > 11:
            for _ in range(_poisson(rng, 1.2)):
                gone = self._day(start, end)
                period.missing.append(
                    (gone, gone + timedelta(days=rng.randrange(0, 4)), rng.choice("MA"))
                )
            period.return_interview_offered = rng.random() < 0.7 if period.missing else None
            # Its own generator (seeded by the child and day), so the rest of the place is the
            # same as before interviews were recorded.
            side = random.Random(f"{child.person_id}:{start.isoformat()}:interviews")
            for gone, back, _ in period.missing:
                if back is not None and side.random() < 0.85:
                    period.return_interviews[gone] = back + timedelta(
                        days=side.choices((0, 1, 2, 3, 4, 6, 9), (20, 30, 20, 12, 8, 6, 4))[0]
                    )
        review = start + timedelta(days=20)
        while review < end:
            period.reviews.append(review)
            review += timedelta(days=rng.choice((91, 182)))
        period.end = end
        period.reason_ceased = "E11" if adopted else rng.choice(("E12", "E13", "E41", "E8", "E4A"))
        if adopted:
            decision = start + timedelta(days=rng.randrange(60, 200))
            order = decision + timedelta(days=rng.randrange(30, 120))
            matched = order + timedelta(days=rng.randrange(60, 300))
            placed = matched + timedelta(days=rng.randrange(14, 60))
            period.adoption = {
                "decision": decision,
                "placement_order": order,
                "matched": matched,
                "placed": placed,
                "adoption_order": end,
            }
        return period

    def _clip(self, ep: Episode) -> Episode:
        """Nothing is known after the end of the window: later ends become open."""

        def cut(day: date | None) -> date | None:
            return day if day is not None and day <= self.end else None

        ep.closure = cut(ep.closure)
        if ep.closure is None:
            ep.closure_reason = None
        if ep.assessment:
            ep.assessment = (ep.assessment[0], cut(ep.assessment[1]))
        if ep.s47:
            ep.s47 = (ep.s47[0], cut(ep.s47[1]), ep.s47[2])
        if ep.cp_plan:
            ep.cp_plan = (ep.cp_plan[0], cut(ep.cp_plan[1]), ep.cp_plan[2], ep.cp_plan[3])
            if ep.cp_plan[0] > self.end:
                ep.cp_plan = None
        if ep.cin_plan:
            ep.cin_plan = (ep.cin_plan[0], cut(ep.cin_plan[1]))
            if ep.cin_plan[0] > self.end:
                ep.cin_plan = None
        if ep.care:
            care = ep.care
            if care.start > self.end:
                ep.care = None
            else:
                care.end = cut(care.end)
                if care.end is None:
                    care.reason_ceased, care.adoption = None, None
                care.placements = [p for p in care.placements if p.start <= self.end]
                for p in care.placements:
                    p.end = cut(p.end)
                care.missing = [(s, cut(e), k) for s, e, k in care.missing if s <= self.end]
                care.return_interviews = {
                    s: d for s, d in care.return_interviews.items() if d <= self.end
                }
                care.reviews = [r for r in care.reviews if r <= self.end]
        if ep.assessment and ep.assessment[0] > self.end:
            ep.assessment, ep.s47, ep.cp_plan, ep.cin_plan, ep.care = None, None, None, None, None
        return ep


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: means here are small.
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
