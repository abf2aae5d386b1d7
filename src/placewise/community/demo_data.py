"""The demo place's co-design (issue 20): the council loads a population table (the place's
children and young people by ethnic group, sex and age band), asks families what would make it
easier to ask for help early, holds two sessions — a community centre and online — whose reach
falls short for Black families, boys and young men and the oldest age band, records what people
said, groups it into two themes, and answers three proposals: one adopted (an action in the
follow-up engine, measured by help started within 10 working days), one adapted, one not taken
forward with the reason. The you-said-we-did page is published. Everything is written through
community.actions.

Called from placewise.demo.build once Alice exists:

    from placewise.community import demo_data as community_demo
    community_demo.build(council=orgs["council"], alice=users["alice"], today=date.today())
"""

from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.models import User

from placewise.community import actions
from placewise.community.models import Engagement, Proposal, Session
from placewise.reviews.models import Action
from placewise.sharing.models import Organisation

POPULATION = """dimension,group,observation
ethnicity,White,41200
ethnicity,Asian,6900
ethnicity,Black,4100
ethnicity,Mixed,3300
ethnicity,Other,1500
sex,Female,27800
sex,Male,29200
age_band,0 to 4,15100
age_band,5 to 10,18600
age_band,11 to 15,14900
age_band,16 to 17,8400
"""

SESSIONS = [
    {
        "days_after": 14,
        "mode": "in_person",
        "venue": "Northshire Community Centre",
        "groups": "Northshire Somali Women's Group; Eastfield Parents' Forum; Family Hub East",
        "facilitators": "Dana Price (family support), a volunteer from the Parents' Forum",
        "accessibility": "step-free room, hearing loop, a crèche",
        "languages": "Somali and Urdu interpreters",
        "participants": 34,
        "counts": {
            "ethnicity": {"White": 18, "Asian": 11, "Black": 2, "Mixed": 2},
            "sex": {"Female": 26, "Male": 8},
            "age_band": {"0 to 4": 14, "5 to 10": 12, "11 to 15": 6},
        },
    },
    {
        "days_after": 35,
        "mode": "online",
        "venue": "",
        "groups": "Northshire Young Carers; the Children in Care Council",
        "facilitators": "Dana Price (family support)",
        "accessibility": "captions, questions in the chat as well as aloud",
        "languages": "",
        "participants": 22,
        "counts": {
            "ethnicity": {"White": 15, "Asian": 3, "Mixed": 2},
            "sex": {"Female": 13, "Male": 9},
            "age_band": {"5 to 10": 4, "11 to 15": 14, "16 to 17": 4},
        },
    },
]

THEMES = [
    (
        "Not knowing help exists",
        "Families did not know the family hub was for them, or heard too late.",
        [
            "Nobody told us the family hub was for people like us.",
            "I found out from another mum at the school gate, a year after we needed it.",
            "The leaflet was only in English.",
        ],
        [
            (
                "Leaflets and short videos in Somali and Urdu at the mosque, the GP and schools",
                "adopted",
                "",
            ),
            (
                "A family hub worker at every primary school's coffee morning",
                "adapted",
                "We will start with the six schools where fewest families ask for help, not all 40, "
                "and extend it if referrals from them rise.",
            ),
        ],
    ),
    (
        "Fear of what asking means",
        "Parents worried that asking for help would lead to social care.",
        [
            "If you ask, they think you can't cope and then social workers come.",
            "I wanted someone to talk to, not a referral.",
            "Young carers don't say anything in case they split us up.",
        ],
        [
            (
                "Stop recording early help contacts on the social care system",
                "not_taken",
                "The law requires us to keep a record, and it keeps help joined up when a family "
                "moves. We will explain on every leaflet what is recorded, who sees it and why.",
            ),
        ],
    ),
]


def build(*, council: Organisation, alice: User, today: date) -> Engagement:
    """One engagement with two sessions, reach gaps, voices, themes and answered proposals."""
    began = today - timedelta(days=150)
    table = actions.load_population(
        organisation=council,
        title="Children and young people in Northshire, 0 to 17",
        source="Census 2021 (ONS), Northshire's wards",
        text=POPULATION,
        by=alice,
    )
    engagement = actions.start_engagement(
        organisation=council,
        title="Asking for help early",
        question=(
            "What would make it easier for your family to ask for help early, before things "
            "get hard?"
        ),
        started_on=began,
        indicator="help_started_within_10_working_days",
        population=table,
        by=alice,
    )
    sessions = []
    for s in SESSIONS:
        fields = {k: v for k, v in s.items() if k != "days_after"}
        sessions.append(
            actions.add_session(
                engagement=engagement,
                held_on=began + timedelta(days=int(str(s["days_after"]))),
                by=alice,
                **fields,  # type: ignore[arg-type]
            )
        )
    # The demo's history: each session was written down on its day, not today (the public's
    # reach counts what was recorded before its quarter ended).
    for session in sessions:
        Session.objects.filter(pk=session.pk).update(
            recorded_at=datetime.combine(session.held_on, time(17), tzinfo=UTC)
        )
    for n, (title, summary, voices, proposals) in enumerate(THEMES):
        theme = actions.add_theme(engagement=engagement, title=title, summary=summary, by=alice)
        for words in voices:
            voice = actions.record_voice(
                engagement=engagement, words=words, session=sessions[n], by=alice
            )
            actions.place_voice(voice=voice, theme=theme, by=alice)
        for text, response, reason in proposals:
            proposal = actions.propose(theme=theme, text=text, by=alice)
            answer = {
                "proposal": proposal,
                "response": response,
                "reason": reason,
                "on": began + timedelta(days=60),
                "by": alice,
            }
            if response != Proposal.Response.NOT_TAKEN:
                answer |= {
                    "owner": "Early help service manager",
                    "due_on": began + timedelta(days=150),
                    "direction": Action.Direction.UP,
                }
            actions.respond(**answer)  # type: ignore[arg-type]
    actions.record_voice(
        engagement=engagement,
        words="Could the sessions be on a Saturday? I work weekdays.",
        session=sessions[1],
        by=alice,
    )
    actions.record_contact(
        engagement=engagement,
        name="A parent from the Eastfield Parents' Forum",
        how="parent@example.org",
        consent="To be told what happened to the proposals",
        delete_on=today + timedelta(days=180),
        by=alice,
    )
    actions.publish(engagement=engagement, on=began + timedelta(days=70), by=alice)
    return engagement
