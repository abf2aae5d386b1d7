"""The indicator methods, as a registry (ADR 0017). Each module of this package registers its
methods with `@register`; adding a method is adding a module (or a class to one). `library.py`
checks an indicator's settings against its method's, `compute.py` asks the method for its SQL,
and docs/indicator-methods.md is written from the registry (`methods/documentation.py`)."""

import importlib
import pkgutil

from placewise.indicators.methods.definition import REGISTRY, Method

# Every module is imported once, here, so that a new module needs no other line to be found.
for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")


def get(name: str) -> Method:
    """The method called `name` (KeyError if there is none)."""
    return REGISTRY[name]


__all__ = ["REGISTRY", "Method", "get"]
