"""The starter questionnaires, in our own words, with where each idea comes from. A service edits
them into new versions (surveys.actions.revise_questionnaire); these are only where it starts.

Six dimensions. The dimensions and what each covers are from the Leadership Centre's "Systems
leadership at a glance", which quotes Ghate, Lewis and Welbourn (2013), *Systems Leadership:
Exceptional leadership for exceptional times*, Virtual Staff College synthesis paper. The
statements below are ours: each turns one of the listed qualities into something a colleague
could have seen the person do.

Culture scan. The four cultures and their two axes are William Schneider's (*The Reengineering
Alternative*, 1994): what an organisation pays attention to (actuality or possibility) and how it
decides (impersonal or personal). The questions are ours, written for a children's services team.
"""

from typing import NamedTuple

SIX_DIMENSIONS_SOURCE = (
    "Dimensions from Ghate, Lewis and Welbourn (2013), Systems Leadership: Exceptional "
    "leadership for exceptional times (Virtual Staff College), as summarised by the Leadership "
    "Centre. Statements written for placewise."
)
CULTURE_SOURCE = (
    "Cultures and axes from William Schneider, The Reengineering Alternative (1994). Questions "
    "and guidance written for placewise; the link between culture, uncertainty and project "
    "approach draws on Saiqa Khan's INLOGOV dissertation on agile in local authorities."
)

SCALE = [
    (1, "Rarely"),
    (2, "Sometimes"),
    (3, "Often"),
    (4, "Usually"),
    (5, "Almost always"),
]

# What each dimension is about, in our words (shown beside its statements).
ABOUT = {
    "feeling": "Acting from values the person holds and can say out loud.",
    "perceiving": "Noticing what is going on, from close up and from a step back, and hearing views unlike their own.",
    "thinking": "Staying curious and making sense of complicated situations without oversimplifying them.",
    "relating": "Building honest relationships across boundaries, and knowing how they come across.",
    "being": "Courage, patience, energy and humility when the work is hard and slow.",
    "doing": "Telling the story of the change, enabling others, and reshaping what already exists to serve it.",
}


class Statement(NamedTuple):
    key: str
    dimension: str
    text: str


STATEMENTS = [
    Statement("feeling-values", "feeling", "Explains the values behind their decisions."),
    Statement(
        "feeling-children",
        "feeling",
        "Keeps children and families at the centre when priorities compete.",
    ),
    Statement(
        "feeling-commitment",
        "feeling",
        "Stays committed to a shared goal when it costs their own service something.",
    ),
    Statement(
        "perceiving-balcony",
        "perceiving",
        "Steps back to see the whole system, not only the part in front of them.",
    ),
    Statement(
        "perceiving-listens",
        "perceiving",
        "Seeks out and listens to views that differ from their own.",
    ),
    Statement(
        "perceiving-stories",
        "perceiving",
        "Notices how other agencies and families describe the same situation.",
    ),
    Statement("thinking-curious", "thinking", "Asks questions before reaching conclusions."),
    Statement(
        "thinking-sense",
        "thinking",
        "Helps people make sense of complex information without oversimplifying it.",
    ),
    Statement("thinking-evidence", "thinking", "Tests their own assumptions against the evidence."),
    Statement("relating-trust", "relating", "Builds trust with people in other organisations."),
    Statement("relating-honest", "relating", "Is honest about what they do not know or cannot do."),
    Statement(
        "relating-aware", "relating", "Shows awareness of how their behaviour affects others."
    ),
    Statement("being-courage", "being", "Takes considered risks to try something new."),
    Statement("being-resilient", "being", "Stays patient and steady when progress is slow."),
    Statement("being-humble", "being", "Gives credit to others and admits mistakes."),
    Statement(
        "doing-story",
        "doing",
        "Tells a clear story of why change is needed and where it is heading.",
    ),
    Statement(
        "doing-enables", "doing", "Enables others to lead rather than doing it all themselves."
    ),
    Statement(
        "doing-reframes",
        "doing",
        "Finds ways to reuse existing structures and resources for shared aims.",
    ),
]


class Choice(NamedTuple):
    key: str
    text: str
    options: dict[str, str]  # culture: statement


# Each question offers one statement per culture; a team member picks the one closest to how
# their team really works (not how they would like it to).
CHOICES = [
    Choice(
        "decisions",
        "When an important decision is made in your team…",
        {
            "control": "it goes up the line and follows the agreed procedure.",
            "collaboration": "the people affected talk it through until they agree.",
            "competence": "whoever knows most about it decides, on the evidence.",
            "cultivation": "people are trusted to decide in line with the shared purpose.",
        },
    ),
    Choice(
        "attention",
        "Your team pays most attention to…",
        {
            "control": "what has happened and whether standards were met.",
            "collaboration": "what is happening now for the people it works with.",
            "competence": "what could be done better than anyone does it now.",
            "cultivation": "what people and families could become.",
        },
    ),
    Choice(
        "leaders",
        "Leaders in your team are mostly…",
        {
            "control": "in charge: they set direction and check it is followed.",
            "collaboration": "team builders: they work alongside everyone else.",
            "competence": "experts: they set high standards and stretch people.",
            "cultivation": "enablers: they remove obstacles and help people grow.",
        },
    ),
    Choice(
        "success",
        "Success in your team means…",
        {
            "control": "things are predictable, safe and done correctly.",
            "collaboration": "people worked well together and kept each other going.",
            "competence": "the work is of the highest quality anyone could achieve.",
            "cultivation": "people and families have grown towards what matters to them.",
        },
    ),
    Choice(
        "mistakes",
        "When something goes wrong…",
        {
            "control": "the process is tightened so it cannot happen again.",
            "collaboration": "the team gathers round and sorts it out together.",
            "competence": "the experts analyse it and find a better method.",
            "cultivation": "it is treated as learning and people are encouraged to try again.",
        },
    ),
    Choice(
        "planning",
        "Plans in your team are…",
        {
            "control": "detailed and agreed in advance, with milestones that are checked.",
            "collaboration": "worked out together and adjusted as the team goes.",
            "competence": "built around clear, demanding targets.",
            "cultivation": "loose: a direction of travel that people shape as they learn.",
        },
    ),
    Choice(
        "valued",
        "People in your team are valued most for…",
        {
            "control": "being reliable and following the rules.",
            "collaboration": "being a good team member.",
            "competence": "their expertise and results.",
            "cultivation": "their commitment and their growth.",
        },
    ),
    Choice(
        "newcomer",
        "A newcomer to your team soon learns that…",
        {
            "control": "there is a right way to do things and it is written down.",
            "collaboration": "nobody works alone here.",
            "competence": "they will be expected to be very good at what they do.",
            "cultivation": "they will be supported to develop in their own way.",
        },
    ),
]
