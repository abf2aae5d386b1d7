"""Peter Block's trust and agreement groups (The Empowered Manager, 1987, chapter 5), with the
approach he recommends for each, in our own words.

Source: P. Block, *The Empowered Manager: Positive Political Skills at Work* (Jossey-Bass, 1987),
ch. 5, as summarised by the Michigan Department of Education Office of School Improvement (quoted
by Big Think, "Agreement and trust") and in Block's interview on Coaching for Leaders, ep. 328.

Fence-sitters are those whose agreement we do not yet know (Block defines them on agreement, not
as a fourth quadrant). Someone we agree with or not, but whose trust we cannot yet judge, is "not
yet known" until a team member says how far they trust them."""

from dataclasses import dataclass

from placewise.initiatives.models import Level


@dataclass(frozen=True)
class Group:
    key: str
    name: str  # plural, as the map heads it
    one: str  # singular, for a sentence
    approach: str


ALLIES = Group(
    "allies",
    "Allies",
    "ally",
    "Say that you value both the relationship and the shared view. Be open with them about your "
    "doubts and where you feel exposed, and ask for their advice and support.",
)
OPPONENTS = Group(
    "opponents",
    "Opponents",
    "opponent",
    "Say that you value the relationship, then set out where you stand. Check you have really "
    "understood their different view, and look for a way to work the problem out together.",
)
BEDFELLOWS = Group(
    "bedfellows",
    "Bedfellows",
    "bedfellow",
    "Say that you agree, and be honest that there are reasons for caution between you. Be clear "
    "what you want from them, ask what they want from you, and agree how you will work together.",
)
FENCE_SITTERS = Group(
    "fence_sitters",
    "Fence-sitters",
    "fence-sitter",
    "Say where you stand and ask where they stand. If they put off answering, press gently, and "
    "ask what it would take for them to support the work.",
)
ADVERSARIES = Group(
    "adversaries",
    "Adversaries",
    "adversary",
    "Say where you stand and check you understand where they stand. Own your share of the "
    "difficulty between you, and tell them what you plan to do, without trying to win them over.",
)
NOT_YET_KNOWN = Group(
    "not_yet_known",
    "Not yet known",
    "not yet known",
    "Nobody on the team can yet say how far they trust them: a first conversation is the way to "
    "find out.",
)
GROUPS = (ALLIES, OPPONENTS, BEDFELLOWS, FENCE_SITTERS, ADVERSARIES, NOT_YET_KNOWN)
SOURCE = (
    "Peter Block, The Empowered Manager (1987), chapter 5: the trust and agreement questions and "
    "the approach for each group, in our own words."
)


def group_of(trust: str, agreement: str) -> Group:
    """The group a placement puts a stakeholder in."""
    if agreement == Level.UNKNOWN:
        return FENCE_SITTERS
    if trust == Level.UNKNOWN:
        return NOT_YET_KNOWN
    if trust == Level.HIGH:
        return ALLIES if agreement == Level.HIGH else OPPONENTS
    return BEDFELLOWS if agreement == Level.HIGH else ADVERSARIES
