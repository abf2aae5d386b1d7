"""The starter library: approaches in our own words, each with its sources (issue 19, item 5).

Written from /work/shared/reference/leadership-frameworks.md and seed 004; the tools placewise
has name the page where they are done (`url_name`), so the library leads to the work."""

from dataclasses import dataclass, field

QUESTIONS = [
    "How do we build trust between partners?",
    "Who must say yes?",
    "How do we decide what to measure?",
    "How do we help a leader move from intention to action?",
    "How do we understand the culture we are working in?",
    "How do we learn from our own practice?",
    "How do we see the whole system, not just our part?",
    "How do we grow our own leadership?",
]


@dataclass(frozen=True)
class Starter:
    slug: str
    name: str
    originator: str
    helps_understand: str
    key_elements: tuple[str, ...]
    when_to_use: str
    further_reading: tuple[str, ...]
    questions: tuple[int, ...]  # indexes into QUESTIONS
    url_name: str = ""
    connected: tuple[str, ...] = field(default=())


STARTERS: tuple[Starter, ...] = (
    Starter(
        "trust-and-agreement",
        "Trust and agreement map",
        "Peter Block, The Empowered Manager (1987), chapter 5",
        "Where each key player stands on two separate questions: how far you trust them, and how "
        "far they agree with this piece of work. Keeping the two apart shows that someone who "
        "disagrees can still be trusted, and someone who agrees may not be.",
        (
            "Allies: high trust, high agreement — share doubts with them and ask their advice",
            "Opponents: high trust, low agreement — keep the relationship and solve problems together",
            "Bedfellows: low trust, high agreement — be open about caution and agree how to work",
            "Fence-sitters: low trust, agreement not yet known — ask where they stand",
            "Adversaries: low trust, low agreement — say your position and own your part",
        ),
        "Before a change that needs many partners, and again as it goes on, to plan the next "
        "conversation with each and to see who has moved. Used in Doncaster to turn adversaries "
        "into fellow travellers (seed 004).",
        (
            "Peter Block, The Empowered Manager: Positive Political Skills at Work (1987), ch. 5",
            "Big Think, 'Agreement and trust' (quoting the Michigan Department of Education summary)",
            "Coaching for Leaders, episode 328, with Peter Block",
        ),
        (0, 1),
        "initiatives:home",
        ("strategic-triangle", "system-map"),
    ),
    Starter(
        "strategic-triangle",
        "The strategic triangle (public value)",
        "Mark H. Moore, Creating Public Value (Harvard, 1995)",
        "Whether a piece of public work can succeed: it must create value the public wants, be "
        "permitted by those whose say-so it needs, and have the capacity to be done. When one "
        "corner is weak, the work stalls however strong the others are.",
        (
            "Public value: what difference the work makes, and for whom",
            "Authorising environment: who must permit it (boards, members, regulators)",
            "Operating capacity: people, money, data and systems to deliver it",
        ),
        "When starting or reviewing an initiative, to check the three corners line up and to "
        "find who must say yes before the work can go on.",
        (
            "Mark H. Moore, Creating Public Value: Strategic Management in Government (1995)",
            "Leadership Centre, The Art of Change Making, 'Mark Moore' (public value)",
        ),
        (1, 2),
        "initiatives:home",
        ("trust-and-agreement",),
    ),
    Starter(
        "grow",
        "GROW coaching conversations",
        "Sir John Whitmore, Coaching for Performance (1992)",
        "How one conversation can move a leader from a goal to a commitment: by asking, not "
        "telling, so the person listens to themselves and others.",
        (
            "Goal: what outcome is wanted",
            "Reality: what is happening now",
            "Options: what could be done",
            "Will: what will be done, and by when it will be reviewed",
        ),
        "In coaching and supervision, and with a group facing a complex issue; the conversation "
        "can start at any stage. An enabler used it to help leaders review their purpose (seed "
        "004).",
        ("Sir John Whitmore, Coaching for Performance (1992)",),
        (3, 7),
        "leadership:coaching_home",
        ("four-c",),
    ),
    Starter(
        "four-c",
        "4C leadership capabilities",
        "Frontline and the Department for Education (2025)",
        "The capabilities children's services leaders grow: curiosity, complexity, "
        "collaboration and courage, and what each looks like in daily work.",
        (
            "Curiosity",
            "Complexity",
            "Collaboration",
            "Courage",
            "Experiments for oneself, one's service and the wider system",
        ),
        "When a leader plans their own development, with small experiments they reflect on.",
        (
            "Frontline and DfE, 4C leadership capability framework for children's social care (2025)",
        ),
        (7, 3),
        "leadership:my_plan",
        ("grow", "six-dimensions"),
    ),
    Starter(
        "culture-scan",
        "Culture scan",
        "William Schneider, The Reengineering Alternative (1994)",
        "Which of four cultures a team leans to — control, collaboration, competence or "
        "cultivation — from what it pays attention to and how it decides. No culture is better; "
        "knowing it shows which changes will go with the grain.",
        (
            "Control: reality and impersonal",
            "Collaboration: reality and personal",
            "Competence: possibility and impersonal",
            "Cultivation: possibility and personal",
        ),
        "Before a change that asks a team to work differently, and a year later to see if it "
        "moved.",
        ("William Schneider, The Reengineering Alternative (1994)",),
        (4,),
        "surveys:home",
        ("six-dimensions",),
    ),
    Starter(
        "six-dimensions",
        "Six dimensions of systems leadership (self and 360)",
        "The Leadership Centre, from the Virtual Staff College study",
        "How a leader's behaviour is seen, by themselves and by others around them, across six "
        "ways: feeling, perceiving, thinking, relating, being and doing.",
        (
            "A self-assessment",
            "Ratings from a manager, peers, reports and partners",
            "A report shown only where raters cannot be told apart",
        ),
        "Once a year or at the start of a development plan, to see the gap between how one sees "
        "oneself and how others do.",
        (
            "Virtual Staff College, Systems leadership: exceptional leadership for exceptional times",
        ),
        (7,),
        "surveys:home",
        ("four-c", "culture-scan"),
    ),
    Starter(
        "peer-review",
        "Peer review of casework",
        "Social work practice learning",
        "How practice looks against an agreed framework, seen by colleagues who give feedback "
        "on a case presented by the worker who holds it.",
        (
            "A case presented by its worker",
            "Feedback against the review framework's criteria",
            "Learning points followed up in supervision",
        ),
        "Regularly in a team, so that learning from practice is shared rather than kept.",
        ("placewise, practice learning (issue 17)",),
        (5,),
        "practice:home",
        ("data-review",),
    ),
    Starter(
        "data-review",
        "Data review sessions",
        "NHS England, Making Data Count (statistical process control)",
        "Which changes in an indicator are signals and which are ordinary variation, so that a "
        "partnership acts on the first and not the second, and follows up whether its actions "
        "moved the measure.",
        (
            "Statistical process control charts",
            "Agreed actions with a measure",
            "A follow-up verdict: did the measure move",
            "Double-loop learning: retiring or redefining an indicator",
        ),
        "Monthly or quarterly, when partners share data and want to decide what to measure and "
        "whether their work is making a difference.",
        (
            "NHS England, Making Data Count (2019)",
            "Eileen Munro, The Munro Review of Child Protection, Part One (2010)",
        ),
        (2, 5),
        "reviews:reviews",
        ("operational-reviews",),
    ),
    Starter(
        "operational-reviews",
        "Operational and strategic reviews",
        "Eileen Munro, The Munro Review of Child Protection (2011)",
        "How the system works from the child's point of view, by starting a review from "
        "children's journeys rather than from procedure.",
        (
            "Children's journeys through the services",
            "What helped and what got in the way",
            "Actions followed up in the next review",
        ),
        "Each quarter, and when a journey shows a delay or a gap between services.",
        ("Eileen Munro, The Munro Review of Child Protection: A child-centred system (2011)",),
        (5, 6),
        "service_reviews:home",
        ("data-review",),
    ),
    Starter(
        "system-map",
        "System mapping and causal loops",
        "Peter Senge, The Fifth Discipline (1990); Lane, Munro and Husemann (2016)",
        "The whole system around an issue — who commissions, refers, funds and shares data with "
        "whom — and the loops that keep a problem going or hold it in check.",
        (
            "Actors and relationships",
            "Reinforcing loops",
            "Balancing loops",
        ),
        "At the start of place-based work on one issue, and when a change has had effects no one "
        "expected.",
        (
            "Peter Senge, The Fifth Discipline (1990)",
            "Lane, Munro and Husemann, Blending systems thinking approaches (EJOR, 2016)",
        ),
        (6,),
        "systemmap:map",
        ("trust-and-agreement", "living-systems"),
    ),
    Starter(
        "living-systems",
        "Living systems",
        "Margaret Wheatley, Leadership and the New Science (1992)",
        "Why organisations change through relationships and shared meaning rather than through "
        "instructions from the top.",
        (
            "Relationships as what a system is made of",
            "Information that flows freely",
            "Shared identity and purpose",
        ),
        "When a change driven by instruction has stalled and the partnership needs a different "
        "way in.",
        ("Margaret Wheatley, Leadership and the New Science (1992)",),
        (6, 0),
        "",
        ("system-map",),
    ),
    Starter(
        "ecology-of-mind",
        "An ecology of mind",
        "Gregory Bateson, Steps to an Ecology of Mind (1972)",
        "How the way we frame a problem is part of the system we are trying to change; learning "
        "to see the patterns that connect.",
        ("Patterns that connect", "Levels of learning", "The frame as part of the problem"),
        "When partners keep solving the same problem in the same way and it keeps coming back.",
        ("Gregory Bateson, Steps to an Ecology of Mind (1972)",),
        (6,),
        "",
        ("living-systems",),
    ),
)
