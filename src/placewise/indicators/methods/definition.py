"""What an indicator method is: the settings it accepts, whether its value is a proportion, how a
value is shown, and the SQL it builds (ADR 0017). Each method module registers one or more.

A method writes only its own common table expressions, reading `events` (the indicator's kinds
of event, each once) and `data_start`, and ending in `counted`: one row per thing counted, with
its `period` (a month's first day), `team`, `child` (a record's token or a linked person key),
`numerator` and `denominator`. Turning `counted` into monthly totals, or into one month's
children, is the same for every method and is done here.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar, TypeVar

from placewise.indicators.methods import clauses
from placewise.indicators.methods.clauses import Parameters

if TYPE_CHECKING:
    from placewise.indicators.library import Indicator

# A month (its first day) and a team, or None for the whole place.
Pick = tuple[date, str | None] | None


class SettingType(StrEnum):
    """What a setting's value must be in the TOML file; the value is how an error names it."""

    EVENT_KIND = "an event kind"
    EVENT_KINDS = "an event kind or a list of them"
    DAYS = "a whole number of days"
    WHOLE = "a whole number"
    NUMBER = "a number"
    TEXT = "text"
    TEXTS = "a list of texts (or one)"
    YES_NO = "true or false"


def _is_whole(value: object) -> bool:
    # TOML's true is a bool, and a bool is an int in Python: never a number of days.
    return isinstance(value, int) and not isinstance(value, bool)


def _is_scalar(value: object) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


_ACCEPTS: dict[SettingType, Callable[[object], bool]] = {
    SettingType.EVENT_KIND: lambda v: isinstance(v, str),
    SettingType.EVENT_KINDS: lambda v: (
        isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))
    ),
    SettingType.DAYS: lambda v: _is_whole(v) and int(v) >= 0,  # type: ignore[call-overload]
    SettingType.WHOLE: _is_whole,
    SettingType.NUMBER: lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    SettingType.TEXT: lambda v: isinstance(v, str),
    # A list of codes may be written as numbers (values = [1, 2]); they are compared as text.
    SettingType.TEXTS: lambda v: _is_scalar(v) or (isinstance(v, list) and all(map(_is_scalar, v))),
    SettingType.YES_NO: lambda v: isinstance(v, bool),
}


@dataclass(frozen=True)
class Setting:
    """One key an indicator using the method may set in its TOML table."""

    name: str
    type: SettingType
    doc: str
    required: bool = False
    default: str = ""  # as the documentation states it, when not required
    choices: tuple[str, ...] = ()

    def problem(self, value: object) -> str | None:
        """What is wrong with this value, as the end of an error naming the key; None if fine."""
        if self.choices:
            if value not in self.choices:
                return f"{self.name} must be {' or '.join(repr(c) for c in self.choices)}"
            return None
        if not _ACCEPTS[self.type](value):
            return f"{self.name} must be {self.type.value}"
        return None


class Settings:
    """An indicator's method settings, read as the types the method declared (checked when the
    library was loaded)."""

    def __init__(self, raw: Mapping[str, object]) -> None:
        self._raw = raw

    def __contains__(self, name: str) -> bool:
        return name in self._raw

    def text(self, name: str) -> str | None:
        value = self._raw.get(name)
        return None if value is None else str(value)

    def texts(self, name: str) -> list[str] | None:
        value = self._raw.get(name)
        if value is None:
            return None
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    def whole(self, name: str) -> int | None:
        value = self._raw.get(name)
        return None if value is None else int(value)  # type: ignore[call-overload]

    def number(self, name: str) -> float | None:
        value = self._raw.get(name)
        return float(value) if isinstance(value, int | float) else None

    def yes_no(self, name: str) -> bool:
        return bool(self._raw.get(name, False))


class Method:
    """An indicator method. Subclasses set the class attributes, write `counted`, and are
    registered with `@register`."""

    name: ClassVar[str]
    summary: ClassVar[str]  # one paragraph, for the generated documentation
    settings: ClassVar[tuple[Setting, ...]]
    is_proportion: ClassVar[bool] = True
    # How a value (numerator / denominator) is shown on pages and in packs.
    value_format: ClassVar[str] = "{:.0%}"
    needs_population: ClassVar[bool] = False

    def counted(self, settings: Settings, bind: Parameters) -> str:
        """The method's common table expressions, after `events` and `data_start`, the last
        named `counted`."""
        raise NotImplementedError

    def totals(
        self, settings: Settings, bind: Parameters, population: Mapping[int, int] | None
    ) -> str:
        """The final SELECT: per month for the place and each team."""
        return clauses.TOTALS

    def check(self, settings: Settings) -> str | None:
        """A problem with how the settings go together (beyond each one's type), or None."""
        return None

    def kinds(self, settings: Settings) -> list[str]:
        """Every kind of event the method reads, from its settings that name kinds."""
        found: set[str] = set()
        for setting in self.settings:
            if setting.type in (SettingType.EVENT_KIND, SettingType.EVENT_KINDS):
                found.update(settings.texts(setting.name) or [])
        return sorted(found)

    def shown(self, value: float) -> str:
        """A value as pages and packs show it."""
        return self.value_format.format(value)

    def sql(
        self,
        indicator: "Indicator",
        table: str | None,
        population: Mapping[int, int] | None = None,
        *,
        pick: Pick = None,
    ) -> tuple[str, dict[str, object]] | None:
        """The indicator's query and its named parameters: totals per month, or with `pick`
        that month's children. `table` holds the events deduplicated already
        (`compute.shared_events`); None reads the store's events. None when the method needs a
        population the place has not given."""
        if self.needs_population and not population:
            return None
        settings = Settings(indicator.parameters)
        bind = Parameters()
        head = clauses.head(self.kinds(settings), table, bind) + self.counted(settings, bind)
        if pick is not None:
            return head + clauses.members(pick[0], pick[1], bind), bind.values
        return head + self.totals(settings, bind, population), bind.values


REGISTRY: dict[str, Method] = {}
M = TypeVar("M", bound=type[Method])


def register(method: M) -> M:
    """Add a method to the registry under its name (a class decorator)."""
    if method.name in REGISTRY:
        raise ValueError(f"two indicator methods are called {method.name}")
    names = [s.name for s in method.settings]
    if len(set(names)) != len(names):
        raise ValueError(f"method {method.name} declares a setting twice")
    REGISTRY[method.name] = method()
    return method
