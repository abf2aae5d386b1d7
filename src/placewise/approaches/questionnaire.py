"""The place survey's questions (issue 19, item 6), after the Leadership Centre's Local Vision
survey of places (seed 004): the challenges partners face, trust in the system, how far
board-level decision makers are involved, what worked, and advice to other places."""

from dataclasses import dataclass

SCALE = [
    (1, "Not at all"),
    (2, "A little"),
    (3, "Somewhat"),
    (4, "Mostly"),
    (5, "Completely"),
]


@dataclass(frozen=True)
class Item:
    key: str
    text: str


RATINGS = [
    Item("trust", "How far do partners in this place trust one another?"),
    Item("board", "How far are board-level decision makers involved in the work?"),
    Item("sharing", "How far do partners share what has worked and what has not?"),
]
TEXTS = [
    Item("challenges", "What are the biggest challenges your partnership faces?"),
    Item("worked", "What has worked well?"),
    Item("advice", "What advice would you give another place starting this work?"),
]
RATING_KEYS = [i.key for i in RATINGS]
TEXT_KEYS = [i.key for i in TEXTS]
TEXT_LABELS = {i.key: i.text for i in TEXTS}
