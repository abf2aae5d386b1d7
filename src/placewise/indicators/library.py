"""The indicator library as data: library.toml ships with placewise; a place adds or overrides
indicators in its own TOML file (PLACEWISE_INDICATORS_FILE) without writing Python."""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

BUILT_IN = Path(__file__).with_name("library.toml")

# Each method's parameters: required, then optional.
METHODS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "within_working_days": (("kind", "days"), ()),
    "prior_within": (("kind", "days"), ()),
    "prior_ever": (("kind",), ("attr",)),
    "lasted_at_least": (("kind", "days"), ()),
    "closed_in_month": (("kind",), ()),
    "not_followed_within": (("kind", "then", "days"), ()),
    "mean_value": (("kind",), ()),
    "count": (("kind",), ()),
    "share_with_attr": (("kind", "attr"), ("values", "at_least", "negate")),
    "mean_days_between": (("kind", "to"), ("from",)),
    "seen_within": (("kind", "others", "days", "when"), ("other_sources",)),
    "rate_per_10000": (("kind",), ()),
    "open_with": (("kind",), ("others", "days", "at_least", "other_sources", "attr", "values")),
    "stable_placement": (
        ("kind", "care_days", "placement_days"),
        ("under_age", "attr", "starts", "not_moves"),
    ),
    "followed_within": (
        ("kind", "then", "days"),
        ("working_days", "from", "horizon", "sources"),
    ),
}
DESCRIPTIVE = ("title", "question", "numerator", "denominator", "polarity")
OPTIONAL = ("target", "lists", "national")


class LibraryError(Exception):
    """A definition that cannot be used, naming the file, the indicator and the key."""


@dataclass(frozen=True)
class Indicator:
    key: str
    title: str
    question: str
    method: str
    numerator: str
    denominator: str
    polarity: str  # "up": higher is better; "down": lower is better
    parameters: dict[str, object] = field(default_factory=dict)
    target: float | None = None
    lists: tuple[str, ...] = ()
    national: str = ""

    @property
    def kinds(self) -> set[str]:
        """Every kind of event the definition reads."""
        p = self.parameters
        found = {str(p[k]) for k in ("kind", "then") if k in p}
        others = p.get("others", [])
        return found | {str(o) for o in (others if isinstance(others, list) else [others])}

    @property
    def is_rate(self) -> bool:
        return self.method == "rate_per_10000"

    @property
    def is_proportion(self) -> bool:
        return self.method not in ("mean_value", "rate_per_10000", "count", "mean_days_between")


def parse(text: str, *, origin: str) -> dict[str, Indicator]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LibraryError(f"{origin} is not valid TOML: {error}") from None
    found = {}
    for key, raw in data.items():
        where = f"{origin}, indicator '{key}'"
        if not isinstance(raw, dict):
            raise LibraryError(f"{where}: expected a table of settings")
        found[key] = _from_raw(key, raw, where=where)
    return found


def load() -> dict[str, Indicator]:
    """The built-in library with the place's own file (if any) added over it."""
    indicators = parse(BUILT_IN.read_text(encoding="utf-8"), origin=BUILT_IN.name)
    extra: Path | None = getattr(settings, "PLACEWISE_INDICATORS_FILE", None)
    if extra is not None and extra.exists():
        indicators |= parse(extra.read_text(encoding="utf-8"), origin=extra.name)
    return indicators


def redefine(indicator: Indicator, changes: dict[str, object]) -> Indicator:
    """The indicator with some settings changed (a double-loop decision), checked like a new
    definition."""
    raw: dict[str, object] = {
        "title": indicator.title,
        "question": indicator.question,
        "method": indicator.method,
        "numerator": indicator.numerator,
        "denominator": indicator.denominator,
        "polarity": indicator.polarity,
        "lists": list(indicator.lists),
        "national": indicator.national,
        **indicator.parameters,
    }
    if indicator.target is not None:
        raw["target"] = indicator.target
    raw.update(changes)
    return _from_raw(indicator.key, raw, where=f"redefinition of '{indicator.key}'")


def _from_raw(key: str, raw: dict[str, object], *, where: str) -> Indicator:
    method = raw.get("method")
    if method not in METHODS:
        raise LibraryError(f"{where}: method must be one of {', '.join(METHODS)} (got {method!r})")
    assert isinstance(method, str)
    required, optional = METHODS[method]
    missing = [k for k in (*DESCRIPTIVE, *required) if k not in raw]
    if missing:
        raise LibraryError(f"{where}: missing {', '.join(missing)}")
    unknown = set(raw) - {"method", *DESCRIPTIVE, *required, *optional, *OPTIONAL}
    if unknown:
        raise LibraryError(f"{where}: unknown setting(s) {', '.join(sorted(unknown))}")
    if raw["polarity"] not in ("up", "down"):
        raise LibraryError(f"{where}: polarity must be 'up' or 'down'")
    days = raw.get("days")
    if days is not None and (not isinstance(days, int) or days < 0):
        raise LibraryError(f"{where}: days must be a whole number of days")
    if method == "share_with_attr" and ("values" in raw) == ("at_least" in raw):
        raise LibraryError(f"{where}: give either values (a list) or at_least (a number)")
    if method == "seen_within" and raw.get("when") not in ("before", "after"):
        raise LibraryError(f"{where}: when must be 'before' or 'after'")
    target = raw.get("target")
    if target is not None and not isinstance(target, int | float):
        raise LibraryError(f"{where}: target must be a number")
    return Indicator(
        key=key,
        title=str(raw["title"]),
        question=str(raw["question"]),
        method=method,
        numerator=str(raw["numerator"]),
        denominator=str(raw["denominator"]),
        polarity=str(raw["polarity"]),
        parameters={k: raw[k] for k in (*required, *optional) if k in raw},
        target=float(target) if target is not None else None,
        lists=_texts(raw.get("lists")),
        national=str(raw.get("national", "")),
    )


def _texts(value: object) -> tuple[str, ...]:
    return tuple(str(x) for x in value) if isinstance(value, list | tuple) else ()
