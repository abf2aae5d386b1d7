"""The starter framework: what a service begins with before it makes the framework its own.

Written for placewise in our own words from the three areas the seed names — service delivery,
risk assessment, and outcomes for children and families. Each criterion asks one question of a
case and says what good looks like, so a peer can say what is strong before what could improve.
The scale is the four grades English children's services audit casework against
(practice.models.AUDIT_GRADES); a service may set its own.
"""

from typing import NamedTuple


class Draft(NamedTuple):
    key: str
    area: str
    question: str
    what_good_looks_like: str


NAME = "Peer review of casework"
SERVICE_DELIVERY = "Service delivery"
RISK = "Risk assessment"
OUTCOMES = "Outcomes for children and families"

CRITERIA = (
    Draft(
        "timely-response",
        SERVICE_DELIVERY,
        "Did the child and family get help when they needed it?",
        "Contacts, visits and assessments happened when the plan and the child's needs said "
        "they should; any delay is explained on the file, with what was done meanwhile.",
    ),
    Draft(
        "child-seen-and-heard",
        SERVICE_DELIVERY,
        "Was the child seen, and is their voice on the file?",
        "The child was seen, alone where right for them; what they said, showed or wanted is "
        "recorded in their words and visibly shaped what was done.",
    ),
    Draft(
        "working-together",
        SERVICE_DELIVERY,
        "Did the agencies around the child work as one?",
        "Partners who know the child (school, health, police, early help) were asked, shared "
        "what they knew and were told what was decided; no one had to tell their story twice.",
    ),
    Draft(
        "risk-understood",
        RISK,
        "Is it clear what could harm the child, and how likely and how serious it is?",
        "The assessment names the harm, the evidence for it and what protects the child, and "
        "weighs them; the family's history is used, not just the latest incident.",
    ),
    Draft(
        "risk-reviewed",
        RISK,
        "Was the risk looked at again when things changed?",
        "New information (a missing episode, an injury, a new adult in the home) led to a "
        "fresh look at risk, recorded with the decision and who made it.",
    ),
    Draft(
        "decisions-and-oversight",
        RISK,
        "Are decisions clear, recorded and overseen?",
        "Each key decision says what was decided, why, by whom and by when; management "
        "oversight is on the file and adds to the thinking, not only signs it off.",
    ),
    Draft(
        "plan-makes-a-difference",
        OUTCOMES,
        "Is there a plan that says what should be different for the child, and by when?",
        "The plan is specific and shared with the family in words they understand; it says "
        "how everyone will know it is working.",
    ),
    Draft(
        "child-better-off",
        OUTCOMES,
        "Is the child better off because of what we did?",
        "The file shows what has changed for the child (safety, health, education, "
        "relationships) and where it has not, what is being done about it.",
    ),
    Draft(
        "family-involved",
        OUTCOMES,
        "Were the family's strengths and views part of the work?",
        "Parents, carers and the wider family were worked with, not done to; their strengths "
        "are named and used, and disagreements are recorded with how they were handled.",
    ),
)
