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
# What peers wrote, per criterion: several ways of saying it, as different peers on different
# cases would, so a review and the themes page read like real ones (each peer of a review is given
# a different one). What is strong comes first, always.
STRENGTHS = {
    "timely-response": (
        "Visits were on time and the one delay is explained on the file.",
        "The first visit was the day after the referral, and every statutory visit since has "
        "been within timescale.",
        "When the school raised a new worry, the worker visited that week rather than waiting "
        "for the next planned visit.",
        "The chronology makes the pace easy to follow: nothing drifted between the strategy "
        "discussion and the conference.",
    ),
    "child-seen-and-heard": (
        "The child was seen alone and their wishes are quoted.",
        "The worker used the three houses tool and the child's drawing is on the file.",
        "You can hear the child in the records: what they said about home is written as they "
        "said it.",
        "Seen at school and at home, and alone at both; the notes say why each place was chosen.",
    ),
    "working-together": (
        "School and the health visitor were asked and told what was decided.",
        "The core group minutes show every agency there and what each will do.",
        "The police and the school nurse were brought in early, and their information changed "
        "the plan.",
        "Good use of the GP's knowledge of the mother's health; it is referenced in the "
        "assessment.",
    ),
    "risk-understood": (
        "The assessment names the harm and what protects the child.",
        "The analysis separates what has happened from what might happen, and says how likely.",
        "The danger statement is in words the family would understand, and they signed it.",
        "Past harm, current risk and the protective factors are weighed, not just listed.",
    ),
    "risk-reviewed": (
        "The missing episode led to a fresh look at risk, recorded the same week.",
        "Each review meeting starts from what has changed since the last one.",
        "The risk assessment was updated when the father returned to the area.",
        "A clear note of how the new school's information changed the picture of risk.",
    ),
    "decisions-and-oversight": (
        "Each decision says who made it and why.",
        "The manager's oversight is on the file at each key point, with the reasons.",
        "Supervision notes show the case being challenged, not just signed off.",
        "The decision to step down is explained, with what would bring the case back.",
    ),
    "plan-makes-a-difference": (
        "The plan says what should change and by when.",
        "The plan is short and specific; the family helped to write it.",
        "Each outcome in the plan is one the child would recognise.",
        "Contingencies are written in: everyone knows what happens if things do not improve.",
    ),
    "child-better-off": (
        "School attendance is up and the file says so.",
        "The child's health appointments are now kept, and the dentist has seen them at last.",
        "The child told the worker they feel safer at home, and the school agrees.",
        "Fewer police call-outs to the address since the plan began.",
    ),
    "family-involved": (
        "The grandmother's support is named and used in the plan.",
        "The family group conference brought in an aunt who now does the school run.",
        "The parents' own words about what they want are in the plan.",
        "The father, often left out, was contacted and is part of the plan.",
    ),
}
# Areas for improvement on the criteria each round grades lower (ROUNDS), first round and second.
IMPROVEMENTS = {
    1: {
        "child-seen-and-heard": (
            "The child's own words are missing from the last two visits.",
            "The child was seen with their mother each time; we could not find a visit alone.",
            "The records say the child is 'happy', but not how the worker knows.",
            "The child's view of the plan is not recorded anywhere.",
        ),
        "risk-reviewed": (
            "After the new partner moved in, risk was not looked at again.",
            "The risk assessment is eight months old, and a lot has changed since.",
            "The two missing episodes were recorded but did not lead to a review of risk.",
            "The move to the new address is noted, but not what it means for risk.",
        ),
        "plan-makes-a-difference": (
            "The plan's actions are not tied to dates.",
            "Several actions say 'ongoing': none says who does what by when.",
            "The plan lists services, not what should be different for the child.",
            "The plan has not changed in three reviews although things at home have.",
        ),
    },
    2: {
        "child-seen-and-heard": (
            "Even better if the child's words led the review's summary, not only the visit notes.",
            "The child's voice is much clearer; one visit alone is still missing this quarter.",
            "Good progress: the next step is to show how the child's view changed the plan.",
            "Quotes are there now; say too how the worker checked the child understood.",
        ),
        "risk-reviewed": (
            "The new information from health came in March and risk was not looked at again.",
            "A review of risk after the return home would have helped; it is not on file.",
            "Risk is reviewed at meetings, but not between them when something changes.",
            "The change of school is recorded without asking what it means for risk.",
        ),
        "plan-makes-a-difference": (
            "Dates are in now; one or two actions still have no owner.",
            "Even better if the plan said how the family will know it is working.",
            "The plan is clearer; the contingency could say what 'not improving' looks like.",
            "Most actions are specific; the housing one still reads 'ongoing'.",
        ),
    },
}
# A thing peers would do differently on criteria neither round grades lower: now and then a peer
# says so (and grades it lower), as real peers do.
EVEN_BETTER = {
    "timely-response": "The assessment took longer than the plan allowed, and the file does "
    "not say why.",
    "working-together": "Health were not invited to the last core group.",
    "decisions-and-oversight": "The decision to close the section 47 enquiry has no manager's "
    "note.",
}
SUMMARIES = {
    1: (
        "A well-organised file where the family's strengths are used. The group's main learning "
        "is about keeping the child's voice and risk current as things change.",
        "Strong partnership work around a family with a lot going on. The group would like the "
        "child to be heard more directly, and the plan to say by when.",
        "The worker knows this family well and it shows. What the file needs is a fresh look at "
        "risk since the household changed, and a plan with dates.",
        "Timely, careful work. The group talked most about how to record what the child says, "
        "and about plans that can be checked.",
        "A complex case handled calmly. The learning is about reviewing risk when something "
        "changes, not only at meetings.",
        "Good use of the wider family. The group agreed the child's voice and the plan's "
        "actions are where the file could be even better.",
    ),
    2: (
        "Clear progress since the last review: the child's voice runs through the file.",
        "The plan now says who does what by when, and the child's words are on every visit. "
        "Reviewing risk between meetings is the next step.",
        "A file that reads well: the child is seen alone and quoted. The group would still like "
        "risk looked at again when things change.",
        "Much improved recording of the child's view. Risk review after new information is the "
        "one thing the group would ask for.",
        "The plan is specific and the family helped write it. Risk is reviewed at meetings but "
        "not always in between.",
        "Steady, well-evidenced work. The group's learning is about a short risk note whenever "
        "something changes.",
    ),
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
    number = 0  # the reviews in order: each picks its own words
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
                    number=number,
                )
                number += 1
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
    number: int,
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
    for n, peer in enumerate(peers):
        # Each peer of a review is given different words (2 * number + n differs for n = 0, 1).
        pick = 2 * number + n
        actions.give_feedback(
            review=review,
            gradings=[_grading(c, round_, pick, n) for c in review.framework.criteria.all()],
            by=peer,
        )
    # The demo's history: its feedback was given on the day of each review, not today (themes
    # count what was recorded before a quarter ended).
    Feedback.objects.filter(review=review).update(
        given_at=datetime.combine(held_on, time(16), tzinfo=UTC)
    )
    actions.agree_summary(
        review=review,
        summary=SUMMARIES[round_][number % len(SUMMARIES[round_])],
        points=POINTS[round_],
        on=held_on,
        by=facilitator,
    )
    actions.share_into_supervision(review=review, by=presenter, on=held_on + timedelta(days=2))


def _grading(criterion: Any, round_: int, pick: int, n: int) -> actions.Grading:
    """One peer's grade and words on one criterion. The criteria a round grades lower keep their
    grades (supervision follows them up on the grades since); on the others a peer now and then
    grades a criterion better or, saying what they would do differently, lower."""
    key, lower = criterion.key, ROUNDS[round_]
    grade, improvements = lower.get(key, GOOD), ""
    if key in lower:
        said = IMPROVEMENTS[round_][key]
        improvements = said[pick % len(said)]
    elif key in EVEN_BETTER and (pick + len(key)) % 7 == 0:
        grade, improvements = RI, EVEN_BETTER[key]
    elif (pick + len(key)) % 4 == 0 or (n and key == "family-involved"):
        grade = OUTSTANDING
    strengths = STRENGTHS.get(key, ("Clear and well recorded.",))
    return actions.Grading(
        criterion=criterion,
        grade=grade,
        strengths=strengths[pick % len(strengths)],
        improvements=improvements,
    )
