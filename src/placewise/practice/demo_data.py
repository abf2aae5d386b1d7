"""The demo place's peer reviews (issue 17): practitioners in three teams, a supervisor each, and
two rounds of peer reviews with feedback and learning points — enough (12 reviews) for the
themes page to show something true. Everything is written through practice.actions.

Called from placewise.demo.build once the council's files are loaded (a case is chosen from the
cases a team holds, through the policy function, so the store must hold them):

    from placewise.practice import demo_data as practice_demo
    practice_demo.build(council=orgs["council"], head=users["alice"], place=place,
                        join=_join, today=date.today())
"""

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from openpyxl import load_workbook

from placewise.practice import actions
from placewise.practice.models import Feedback, PeerReview, Supervision
from placewise.sharing.models import Organisation
from placewise.sharing.permissions import Role

SOURCE = "council_csc"
# username: (full name, team); the first of each team is its team manager and supervises the rest.
TEAMS = {
    "North": [("nina", "Nina Osei"), ("priya", "Priya Shah"), ("tom", "Tom Hughes")],
    "South": [("dev", "Dev Patel"), ("sara", "Sara Lindqvist"), ("liam", "Liam Byrne")],
    "East": [("grace", "Grace Mensah"), ("ellie", "Ellie Ward"), ("omar", "Omar Haddad")],
}
GOOD, RI, INADEQUATE, OUTSTANDING = (
    "Good",
    "Requires improvement to be good",
    "Inadequate",
    "Outstanding",
)
STRENGTHS = {
    "timely-response": "Visits were on time and the one delay is explained on the file.",
    "child-seen-and-heard": "The child was seen alone and their wishes are quoted.",
    "working-together": "School and the health visitor were asked and told what was decided.",
    "risk-understood": "The assessment names the harm and what protects the child.",
    "risk-reviewed": "The missing episode led to a fresh look at risk, recorded the same week.",
    "decisions-and-oversight": "Each decision says who made it and why.",
    "plan-makes-a-difference": "The plan says what should change and by when.",
    "child-better-off": "School attendance is up and the file says so.",
    "family-involved": "The grandmother's support is named and used in the plan.",
}
IMPROVEMENTS = {
    "child-seen-and-heard": "The child's own words are missing from the last two visits.",
    "risk-reviewed": "After the new partner moved in, risk was not looked at again.",
    "plan-makes-a-difference": "The plan's actions are not tied to dates.",
}
# Round 1 grades the three criteria above lower; round 2, after supervision, better.
ROUNDS = {
    1: {"child-seen-and-heard": RI, "risk-reviewed": RI, "plan-makes-a-difference": INADEQUATE},
    2: {"child-seen-and-heard": GOOD, "risk-reviewed": RI, "plan-makes-a-difference": GOOD},
}
POINTS = {
    1: [
        (
            "Record the child's words at every visit, not only at the assessment.",
            "child-seen-and-heard",
        ),
        ("Look at risk again whenever someone new joins the household.", "risk-reviewed"),
        ("Give every action in the plan a date and an owner.", "plan-makes-a-difference"),
    ],
    2: [
        ("Keep quoting the child: it changed what the group understood.", "child-seen-and-heard"),
        ("A short risk review note after each new piece of information.", "risk-reviewed"),
    ],
}


def held_cases(place: Path) -> dict[str, list[str]]:
    """Each team's cases in the synthetic place's Annex A: children whose every row names that
    one Allocated Team."""
    book = load_workbook(place / "council" / "annex_a.xlsx", read_only=True)
    teams: dict[str, set[str]] = {}
    for sheet in book.worksheets:
        rows = sheet.iter_rows(values_only=True)
        header = [str(h or "") for h in next(rows, ())]
        if "Allocated Team" not in header or "Child Unique ID" not in header:
            continue
        child, team = header.index("Child Unique ID"), header.index("Allocated Team")
        for row in rows:
            if row[child]:
                teams.setdefault(str(row[child]), set()).add(str(row[team] or ""))
    found: dict[str, list[str]] = {}
    for reference, named in sorted(teams.items()):
        if len(named) == 1 and "" not in named:
            found.setdefault(next(iter(named)), []).append(reference)
    return found


def build(
    *,
    council: Organisation,
    head: User,
    place: Path,
    join: Callable[[str, str, Organisation, Role], Any],
    today: date,
) -> dict[str, User]:
    """Practitioners, supervisors and two rounds of peer reviews. Returns the people made, by
    username. Run again, it adds nothing."""
    people: dict[str, User] = {}
    for team, members in TEAMS.items():
        for n, (username, full_name) in enumerate(members):
            role = Role.TEAM_MANAGER if n == 0 else Role.PRACTITIONER
            people[username] = join(username, full_name, council, role)
            actions.place_in_team(person=people[username], organisation=council, team=team, by=head)
        manager = people[members[0][0]]
        for username, _ in members[1:]:
            Supervision.objects.get_or_create(
                organisation=council,
                supervisor=manager,
                supervisee=people[username],
                defaults={"since": today - timedelta(days=365)},
            )
    if PeerReview.objects.filter(organisation=council).exists():
        return people
    actions.start_framework(organisation=council, by=head)
    cases = held_cases(place)
    teams = list(TEAMS)
    for round_, days_ago in ((1, 120), (2, 30)):
        for t, team in enumerate(teams):
            others = [teams[(t + 1) % 3], teams[(t + 2) % 3]]
            facilitator = people[TEAMS[others[0]][0][0]]
            for k, (presenter_name, _) in enumerate(TEAMS[team][1:]):
                peers = [people[TEAMS[o][1 + (k + round_) % 2][0]] for o in others]
                _review(
                    council=council,
                    held_on=today - timedelta(days=days_ago - 7 * k - t),
                    round_=round_,
                    presenter=people[presenter_name],
                    facilitator=facilitator,
                    peers=peers,
                    case=_nth(cases.get(team, []), (round_ - 1) * 2 + k),
                )
    return people


def _nth(cases: list[str], n: int) -> list[str]:
    """The n-th of a team's cases (a small place's team may hold few: then one comes round
    again, as a case can be presented in a later round)."""
    return [cases[n % len(cases)]] if cases else []


def _review(
    *,
    council: Organisation,
    held_on: date,
    round_: int,
    presenter: User,
    facilitator: User,
    peers: list[User],
    case: list[str],
) -> None:
    review = actions.set_up_review(
        organisation=council,
        held_on=held_on,
        method=[m for m, _ in PeerReview.Method.choices][(held_on.toordinal()) % 3],
        facilitator=facilitator,
        presenter=presenter,
        peers=peers,
        by=facilitator,
    )
    if not case or not case[0]:
        return
    actions.choose_case(review=review, source=SOURCE, reference=case[0], by=presenter)
    lower = ROUNDS[round_]
    for n, peer in enumerate(peers):
        actions.give_feedback(
            review=review,
            gradings=[
                actions.Grading(
                    criterion=c,
                    # The second peer sees one criterion a grade better: peers differ.
                    grade=(
                        OUTSTANDING if n and c.key == "family-involved" else lower.get(c.key, GOOD)
                    ),
                    strengths=STRENGTHS.get(c.key, "Clear and well recorded."),
                    improvements=IMPROVEMENTS.get(c.key, "") if c.key in lower else "",
                )
                for c in review.framework.criteria.all()
            ],
            by=peer,
        )
    # The demo's history: its feedback was given on the day of each review, not today (themes
    # count what was recorded before a quarter ended).
    Feedback.objects.filter(review=review).update(
        given_at=datetime.combine(held_on, time(16), tzinfo=UTC)
    )
    actions.agree_summary(
        review=review,
        summary=(
            "A well-organised file where the family's strengths are used. The group's main "
            "learning is about keeping the child's voice and risk current as things change."
            if round_ == 1
            else "Clear progress since the last review: the child's voice runs through the file."
        ),
        points=POINTS[round_],
        on=held_on,
        by=facilitator,
    )
    actions.share_into_supervision(review=review, by=presenter, on=held_on + timedelta(days=2))
