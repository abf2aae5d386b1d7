"""The demo place's approaches library and place survey (issue 19): the starter library with two
recorded uses, and two closed rounds of the place survey a year apart with enough answers to show,
their quotes grouped by theme. Written through the app's own actions."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from placewise.approaches import actions
from placewise.approaches.models import Answer, Approach, SurveyRound
from placewise.sharing import actors

# (trust, board, sharing) and words, for each partner who answered; two rounds a year apart.
FIRST = [
    (
        (2, 2, 2),
        {
            "challenges": "Partners hold on to control and will not cede it to the system.",
            "advice": "Start with frank conversations about what has not worked.",
        },
    ),
    (
        (2, 1, 3),
        {
            "challenges": "Board members rarely come to the partnership.",
            "worked": "The council taking a lead though it gains least.",
        },
    ),
    (
        (3, 2, 2),
        {
            "challenges": "We do not trust each other's data.",
            "advice": "Never try to fix issues alone.",
        },
    ),
    ((2, 2, 3), {"worked": "Shared data review sessions between health and the council."}),
    ((3, 3, 2), {"challenges": "Too many boards and no one owning the whole journey."}),
    ((1, 2, 2), {"advice": "Find out who must say yes before you start."}),
]
SECOND = [
    (
        (3, 3, 3),
        {
            "worked": "The trust map made us talk to the partners we had avoided.",
            "advice": "Map the system together before you act.",
        },
    ),
    ((4, 3, 4), {"worked": "Data review sessions every month, with actions followed up."}),
    ((3, 4, 3), {"challenges": "Keeping board members involved after the launch."}),
    ((4, 3, 3), {"worked": "Board members now chair the review of one issue each."}),
    (
        (3, 3, 4),
        {
            "challenges": "Police still share too little.",
            "advice": "Keep sharing what has not worked, not only successes.",
        },
    ),
    ((4, 4, 3), {"advice": "The whole system is greater than its parts."}),
    ((3, 3, 3), {"challenges": "Turnover of leaders means trust is rebuilt again and again."}),
]
THEMES = {
    "control": "Trust and control",
    "trust": "Trust and control",
    "board": "Board-level involvement",
    "Board": "Board-level involvement",
    "data": "Sharing data and learning",
    "Data": "Sharing data and learning",
    "share": "Sharing data and learning",
    "alone": "Working as one system",
    "whole": "Working as one system",
    "system": "Working as one system",
}


def _round(
    title: str,
    answers: list[tuple[tuple[int, int, int], dict[str, str]]],
    opened: date,
    closed: date,
    by: User,
) -> SurveyRound:
    round_ = actions.open_round(title=title, by=by, today=opened)
    for (trust, board, sharing), texts in answers:
        link = actions.make_link(round=round_, organisation_name="A partner", by=by)
        actions.answer_by_link(
            token=link.token,
            ratings={"trust": trust, "board": board, "sharing": sharing},
            texts=texts,
            by=actors.partner_by_link(),
        )
    actions.close_round(round=round_, by=by, today=closed)
    for answer in Answer.objects.filter(round=round_):
        for key, words in answer.texts.items():
            for cue, theme in THEMES.items():
                if cue in words:
                    actions.tag_quote(answer=answer, text_key=key, theme_name=theme, by=by)
                    break
    return round_


def build(*, enabler: User, today: date | None = None) -> None:
    """The starter library, two uses, and two closed rounds of the place survey. `enabler` holds
    leadership.enable (an enabler or a head of service, such as Alice)."""
    today = today or timezone.localdate()
    actions.load_starter_library(by=enabler)
    actions.record_use(
        approach=Approach.objects.get(slug="trust-and-agreement"),
        where="Northshire's inter-generational obesity project",
        used_on=today - timedelta(days=300),
        learned="Two partners we had counted as adversaries were fence-sitters: once asked where "
        "they stood, the school nursing service became an ally.",
        by=enabler,
    )
    actions.record_use(
        approach=Approach.objects.get(slug="data-review"),
        where="Northshire children's partnership",
        used_on=today - timedelta(days=120),
        learned="Monthly sessions stopped us reacting to every dip: we now act on signals only.",
        by=enabler,
    )
    first_closed = today - timedelta(days=365)
    _round(
        f"Place survey {first_closed:%B %Y}",
        FIRST,
        first_closed - timedelta(days=30),
        first_closed,
        enabler,
    )
    _round(f"Place survey {today:%B %Y}", SECOND, today - timedelta(days=30), today, enabler)
