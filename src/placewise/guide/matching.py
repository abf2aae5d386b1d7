"""Typo-tolerant matching of what a resident typed against a guide's items and their synonyms.

Pure Python, so it behaves the same on SQLite and PostgreSQL: a guide has tens or hundreds of
items, which are read once and matched in memory; no database extension (pg_trgm) is needed.

Each word typed is matched to a word of an item's name or synonym by its edit distance (optimal
string alignment: insertions, deletions, substitutions and swaps of two neighbouring letters each
cost one), allowing as many edits as Elasticsearch's "AUTO" fuzziness does for the word's length:
none for one or two letters, one for three to five, two for six or more. Plurals are folded to
the singular first ("boxes" is "box"). A word of four letters or more also matches a word it
begins ("alumin" finds "aluminium"). An item is a good answer when
every word that carries meaning matches one of its name's or a synonym's words.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAX_LENGTH = 100  # characters in a search, after normalising

# Words that carry no meaning for which bin: "where do I put a pizza box" is "pizza box".
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "do",
        "does",
        "for",
        "go",
        "goes",
        "how",
        "i",
        "in",
        "into",
        "is",
        "it",
        "my",
        "of",
        "on",
        "or",
        "put",
        "should",
        "the",
        "this",
        "to",
        "what",
        "where",
        "which",
        "with",
    ]
)
_NOT_WORD = re.compile(r"[^\w]+")


def normalise(text: str) -> str:
    """Lower case, letters and digits only, single spaces: 'Plastic  Bottle!' → 'plastic bottle'."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("_", " ")
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def content_words(text: str) -> list[str]:
    """The words of a search that carry meaning (all of them if every one is a stop word)."""
    words = normalise(text).split()
    meaningful = [w for w in words if w not in STOP_WORDS]
    return meaningful or words


def allowed_edits(word: str) -> int:
    """Edits tolerated in a typed word of this length (Elasticsearch's AUTO:3,6)."""
    if len(word) <= 2:
        return 0
    if len(word) <= 5:
        return 1
    return 2


def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance between a and b, or limit + 1 once it must exceed limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[len(b)], limit + 1)


def singular(word: str) -> str:
    """English plurals folded to the singular, so 'boxes' finds 'box' and 'nappies' 'nappy'."""
    if len(word) <= 3:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def word_cost(typed: str, known: str) -> int | None:
    """How many edits turn a typed word into a known one, None if too many to be a typo.
    Plurals are folded first: a plural is not a typo."""
    typed, known = singular(typed), singular(known)
    if typed == known:
        return 0
    if len(typed) >= 4 and known.startswith(typed):
        return 1
    limit = allowed_edits(typed)
    found = distance(typed, known, limit)
    return found if found <= limit else None


@dataclass(frozen=True)
class Score:
    matched: int  # words typed that matched a word of the phrase
    wanted: int  # words typed that carry meaning
    edits: int  # edits across the matched words
    extra: int  # words of the phrase nobody typed

    @property
    def good(self) -> bool:
        return self.wanted > 0 and self.matched == self.wanted

    def key(self) -> tuple[int, int, int, int]:
        """Sort key: good answers first, then more words matched, fewer edits, fewer extras."""
        return (0 if self.good else 1, -self.matched, self.edits, self.extra)


def score(typed: Sequence[str], phrase: str) -> Score:
    """How well the typed content words match one phrase (an item's name or a synonym)."""
    known = normalise(phrase).split()
    matched = edits = 0
    used: set[int] = set()
    for word in typed:
        best: tuple[int, int] | None = None
        for index, candidate in enumerate(known):
            cost = word_cost(word, candidate)
            if cost is not None and (best is None or cost < best[0]):
                best = (cost, index)
        if best is not None:
            matched, edits = matched + 1, edits + best[0]
            used.add(best[1])
    return Score(matched, len(typed), edits, len(known) - len(used))


@dataclass(frozen=True)
class Candidate:
    """Something to match: an item's key, its name and its synonyms."""

    key: int
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    key: int
    phrase: str  # the name or synonym that matched best
    score: Score


def search(text: str, candidates: Iterable[Candidate], *, limit: int = 10) -> list[Match]:
    """The candidates the text matches at least one word of, best first."""
    typed = content_words(text)
    if not typed:
        return []
    found = []
    for candidate in candidates:
        best = min(
            ((score(typed, phrase), phrase) for phrase in candidate.phrases),
            key=lambda pair: pair[0].key(),
            default=None,
        )
        if best is not None and best[0].matched:
            found.append(Match(candidate.key, best[1], best[0]))
    found.sort(key=lambda match: (match.score.key(), match.phrase))
    return found[:limit]
