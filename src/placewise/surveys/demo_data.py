"""The demo place's 360 feedback and culture scans (issue 18): Alice has two closed 360 rounds
(the latest with peers and reports shown on their own, her manager and two partners too few to
show alone and so merged into "others"), and her leadership team has two culture scans a year
apart. Everything is written through surveys.actions; raters answer through their links.

Called from placewise.demo.build once Alice and at least four colleagues exist:

    from placewise.surveys import demo_data as surveys_demo
    surveys_demo.build(council=orgs["council"], alice=users["alice"],
                       colleagues=[...four or more council Users...], today=date.today())
"""

from datetime import date, timedelta

from django.contrib.auth.models import User

from placewise.sharing import actors
from placewise.sharing.models import Organisation
from placewise.surveys import actions
from placewise.surveys.models import Round
from placewise.surveys.questionnaires import CHOICES, STATEMENTS

# How each rater group sees Alice, per dimension (feeling, perceiving, thinking, relating,
# being, doing); each rater varies a little round it.
SEEN = {
    "self": (5, 4, 4, 4, 3, 3),
    "peer": (4, 3, 4, 4, 4, 3),
    "report": (4, 4, 3, 3, 4, 4),
    "manager": (4, 3, 4, 3, 3, 4),
    "partner": (3, 2, 3, 3, 4, 3),
}
DIMENSION_ORDER = ("feeling", "perceiving", "thinking", "relating", "being", "doing")
COMMENTS = {
    "peer": [
        "Always brings the conversation back to what it means for children.",
        "Could share the thinking behind decisions earlier.",
        "Listens well in the partnership board.",
        "",
    ],
    "report": [
        "Gives us room to try things and backs us when they do not work.",
        "I would like more time to talk through the bigger picture.",
        "",
    ],
    "manager": ["Ready for a wider system role."],
    "partner": ["Easy to work with across agencies.", ""],
}


def _answers(group: str, n: int, lift: int = 0) -> dict[str, int | None]:
    base = dict(zip(DIMENSION_ORDER, SEEN[group], strict=True))
    answers: dict[str, int | None] = {}
    for i, s in enumerate(STATEMENTS):
        wobble = ((i + n) % 3) - 1 if group != "self" else 0
        answers[s.key] = max(1, min(5, base[s.dimension] + wobble + lift))
    if group == "partner":  # partners have not seen everything
        answers["relating-aware"] = None
    return answers


def _round(alice: User, start: date, raters: dict[str, int], lift: int) -> Round:
    round_ = actions.start_round(by=alice, today=start)
    actions.rate_self(
        round=round_,
        answers=_answers("self", 0),
        comment="Working on explaining my reasoning sooner.",
        by=alice,
    )
    for group, count in raters.items():
        for n in range(count):
            invited = actions.invite_rater(
                round=round_,
                group=group,
                name=f"{group.title()} {n + 1}",
                organisation_name="Northshire NHS Trust" if group == "partner" else "",
                by=alice,
            )
            comments = COMMENTS[group]
            actions.answer_as_rater(
                token=invited.token,
                answers=_answers(group, n, lift),
                comment=comments[n % len(comments)],
                by=actors.rater(),
            )
    actions.close_round(round=round_, by=alice, today=start + timedelta(days=28))
    return round_


def _choices(pattern: list[str]) -> dict[str, str]:
    return {c.key: pattern[i % len(pattern)] for i, c in enumerate(CHOICES)}


def build(*, council: Organisation, alice: User, colleagues: list[User], today: date) -> None:
    """Alice's 360 rounds and her team's culture scans, if she has none yet."""
    if Round.objects.filter(person=alice).exists():
        return
    # Six months ago: three peers only. Now: peers 4 and reports 3 shown; manager 1 and
    # partners 2 merged into "others" (3).
    _round(alice, today - timedelta(days=240), {"peer": 3}, lift=-1)
    _round(
        alice, today - timedelta(days=45), {"peer": 4, "report": 3, "manager": 1, "partner": 2}, 0
    )
    team = colleagues[:5]
    patterns = [
        ["control", "control", "collaboration"],
        ["control", "competence"],
        ["control", "collaboration", "control", "cultivation"],
        ["collaboration", "control"],
        ["control"],
    ]
    later = [
        ["collaboration", "collaboration", "control"],
        ["collaboration", "cultivation"],
        ["control", "collaboration"],
        ["collaboration", "competence", "collaboration"],
        ["cultivation", "collaboration"],
    ]
    for when, answers in (
        (today - timedelta(days=365), patterns),
        (today - timedelta(days=20), later),
    ):
        scan = actions.start_scan(
            organisation=council,
            team="Children's services leadership team",
            participants=team,
            by=alice,
            today=when,
        )
        # All but one answer, so the page shows who is still to (never what anyone chose).
        for member, pattern in zip(team[:-1], answers, strict=False):
            actions.answer_scan(scan=scan, choices=_choices(pattern), by=member)
        actions.close_scan(scan=scan, by=alice, today=when + timedelta(days=14))
