"""The indicator library as data: library.toml ships with placewise; a place adds or overrides
indicators in its own TOML file (PLACEWISE_INDICATORS_FILE) without writing Python."""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from placewise.indicators.methods import REGISTRY
from placewise.indicators.methods.definition import Method, Settings

BUILT_IN = Path(__file__).with_name("library.toml")

DESCRIPTIVE = ("title", "question", "numerator", "denominator", "polarity")
OPTIONAL = ("target", "lists", "national", "area")
# Where an indicator sits, as the DfE's statistics and Ofsted's inspection framework group
# children's services: help and protection, children in care, care leavers; then the seed's own
# measures of service, and those that need more than one agency's data.
AREAS = {
    "help_and_protection": "Help and protection",
    "children_in_care": "Children in care",
    "care_leavers": "Care leavers",
    "service": "How the service works",
    "multi_agency": "Across agencies",
}


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
    area: str = "service"

    @property
    def area_title(self) -> str:
        return AREAS.get(self.area, self.area)

    @property
    def defined_by(self) -> Method:
        """The indicator's method, from the registry."""
        return REGISTRY[self.method]

    @property
    def kinds(self) -> set[str]:
        """Every kind of event the definition reads."""
        return set(self.defined_by.kinds(Settings(self.parameters)))

    @property
    def is_rate(self) -> bool:
        return self.defined_by.needs_population

    @property
    def is_proportion(self) -> bool:
        return self.defined_by.is_proportion

    def shown(self, value: float) -> str:
        """A value of this indicator as pages and packs show it (a share as a percentage)."""
        return self.defined_by.shown(value)


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
        "area": indicator.area,
        **indicator.parameters,
    }
    if indicator.target is not None:
        raw["target"] = indicator.target
    raw.update(changes)
    return _from_raw(indicator.key, raw, where=f"redefinition of '{indicator.key}'")


def _from_raw(key: str, raw: dict[str, object], *, where: str) -> Indicator:
    name = raw.get("method")
    method = REGISTRY.get(name) if isinstance(name, str) else None
    if method is None:
        raise LibraryError(f"{where}: method must be one of {', '.join(REGISTRY)} (got {name!r})")
    required = [s.name for s in method.settings if s.required]
    missing = [k for k in (*DESCRIPTIVE, *required) if k not in raw]
    if missing:
        raise LibraryError(f"{where}: missing {', '.join(missing)}")
    declared = [s.name for s in method.settings]
    unknown = set(raw) - {"method", *DESCRIPTIVE, *declared, *OPTIONAL}
    if unknown:
        raise LibraryError(f"{where}: unknown setting(s) {', '.join(sorted(unknown))}")
    if raw["polarity"] not in ("up", "down"):
        raise LibraryError(f"{where}: polarity must be 'up' or 'down'")
    for setting in method.settings:
        problem = setting.problem(raw[setting.name]) if setting.name in raw else None
        if problem:
            raise LibraryError(f"{where}: {problem}")
    problem = method.check(Settings(raw))
    if problem:
        raise LibraryError(f"{where}: {problem}")
    target = raw.get("target")
    if target is not None and not isinstance(target, int | float):
        raise LibraryError(f"{where}: target must be a number")
    area = raw.get("area", "service")
    if area not in AREAS:
        raise LibraryError(f"{where}: area must be one of {', '.join(AREAS)} (got {area!r})")
    return Indicator(
        key=key,
        title=str(raw["title"]),
        question=str(raw["question"]),
        method=method.name,
        numerator=str(raw["numerator"]),
        denominator=str(raw["denominator"]),
        polarity=str(raw["polarity"]),
        parameters={k: raw[k] for k in declared if k in raw},
        target=float(target) if target is not None else None,
        lists=_texts(raw.get("lists")),
        national=str(raw.get("national", "")),
        area=str(area),
    )


def _texts(value: object) -> tuple[str, ...]:
    return tuple(str(x) for x in value) if isinstance(value, list | tuple) else ()
