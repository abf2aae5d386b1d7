"""The 4C guidance and the starting points for experiments, in our own words.

Source: the 4C leadership capability framework of the Pathways social work leadership modules
(Department for Education's "Support for social workers" service, developed by Frontline with the
DfE, published 30 January 2025). The four capabilities, the four levels and the split of
experiments into yourself, your team or service and the wider system are the framework's; the
wording below is ours. The starting points paraphrase the head of service pathway's "Managing
complexity in practice" page. The framework's full capability statements are not reproduced."""

from dataclasses import dataclass

from placewise.leadership.models import Capability, Level, Scope

SOURCE = (
    "4C leadership capability framework, Pathways social work leadership modules "
    "(Department for Education, developed by Frontline, January 2025). Paraphrased."
)

# The framework presents the capabilities as a sequence: each builds on the one before.
GUIDANCE: dict[str, str] = {
    Capability.CURIOSITY: (
        "Staying curious about yourself, the people you work with and the place you work in: "
        "noticing your own assumptions, asking before deciding, and keeping children's and "
        "families' interests in view."
    ),
    Capability.CLARITY: (
        "Making purpose, decisions and expectations plain to others, so that what curiosity "
        "turned up becomes something a team can act on."
    ),
    Capability.COMPLEXITY: (
        "Holding several demands, views and uncertainties at once, and helping a team make sound, "
        "evidence-based decisions within them."
    ),
    Capability.CAPACITY: (
        "Growing what the team and the wider system can do: developing people, sharing learning "
        "and building the conditions for better outcomes to last."
    ),
}
SEQUENCE = (
    "The framework treats the four capabilities as linked: curiosity leads to clarity, clarity "
    "helps a team handle complexity, and handling complexity builds capacity."
)
LEVEL_AUDIENCE: dict[str, str] = {
    Level.PRACTICE_SUPERVISOR: "You supervise practitioners' practice and decisions.",
    Level.MIDDLE_MANAGER: "You lead a team of social workers, practice supervisors among them.",
    Level.HEAD_OF_SERVICE: "You lead a whole service area, operationally and strategically.",
    Level.PRACTICE_LEADER: "You are responsible for the whole practice system.",
}
EXPERIMENT_RULE = (
    "Choose at least one experiment for yourself, one for your team or service and one for the "
    "wider system; say when and where you will try each, and come back to what happened."
)


@dataclass(frozen=True)
class Activity:
    key: str
    title: str
    capability: str
    scope: str
    summary: str
    # Where the product does it: a URL name, or "" with `elsewhere` saying why there is none.
    url_name: str = ""
    elsewhere: str = ""

    @property
    def scope_label(self) -> str:
        return Scope(self.scope).label.lower()

    @property
    def capability_label(self) -> str:
        return Capability(self.capability).label.lower()


ACTIVITIES: tuple[Activity, ...] = (
    Activity(
        "cross_functional_project",
        "Lead a project that cuts across teams",
        Capability.COMPLEXITY,
        Scope.SELF,
        "Take on a project that needs people from several teams, to practise balancing their "
        "interests, limited resources and different agendas.",
        elsewhere="Projects are not kept in placewise: record where and when in the experiment.",
    ),
    Activity(
        "data_reviews",
        "Hold regular data review sessions",
        Capability.COMPLEXITY,
        Scope.TEAM,
        "Look at case outcomes with your team regularly: let staff read the data first, ask why "
        "the trends are as they are, agree changes and follow them up at the next session.",
        url_name="reviews:reviews",
    ),
    Activity(
        "peer_reviews",
        "Facilitate peer reviews of casework",
        Capability.COMPLEXITY,
        Scope.TEAM,
        "Set up supportive peer review, where staff give each other feedback on casework "
        "against shared criteria and take it into supervision.",
        url_name="practice:home",
    ),
    Activity(
        "operational_strategic_reviews",
        "Balance operational and strategic reviews",
        Capability.COMPLEXITY,
        Scope.TEAM,
        "Meet leaders from across the service regularly, weighing how things run against what "
        "the service is for, starting from children's journeys through it.",
        url_name="service_reviews:home",
    ),
    Activity(
        "co_design",
        "Co-design services with minority communities",
        Capability.COMPLEXITY,
        Scope.SYSTEM,
        "Hold engagement sessions with people from under-represented communities so that their "
        "voices shape plans and services.",
        elsewhere="Co-design sessions are still to be built (the Community section).",
    ),
)
BY_KEY = {a.key: a for a in ACTIVITIES}
