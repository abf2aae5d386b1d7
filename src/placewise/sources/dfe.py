"""The DfE validators (csc-validator-be-903 and -cin), run in their own environment.

They pin pandas<2 and numpy<1.25, so they live in .venv-dfe and run as a subprocess that reads file
paths and prints JSON (dfe_runner.py beside this file). Their findings are data-quality queries:
shown with the load, never blocking it. See docs/adr/0003-dfe-validators-subprocess.md.
"""

import json
import subprocess  # nosec B404  # runs only our own runner script
import tempfile
from datetime import date
from pathlib import Path

from django.conf import settings

from placewise.sources.canonical import Issue

RUNNER = Path(__file__).with_name("dfe_runner.py")
TIMEOUT_SECONDS = 1800


class ValidatorUnavailable(Exception):
    """The validators' environment is missing: `make setup` creates it."""


def collection_year(today: date | None = None) -> str:
    """The DfE collection year the validators call '2026' for 2025/26 (ending 31 March)."""
    today = today or date.today()
    return str(today.year if today.month <= 3 else today.year + 1)


def available() -> bool:
    return Path(settings.PLACEWISE_DFE_PYTHON).exists()


class Run:
    """A validator run in progress in its own process."""

    def __init__(self, format: str, paths: list[Path], year: str | None = None) -> None:
        if not available():
            raise ValidatorUnavailable(
                f"the DfE validators are not installed at "
                f"{settings.PLACEWISE_DFE_PYTHON}; run `make setup`"
            )
        self.format = format
        # Output goes to a file, not a pipe: tens of thousands of findings would fill a pipe.
        self._out = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed by findings()
        self._err = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed by findings()
        self._process = subprocess.Popen(  # noqa: S603  # nosec B603  # fixed interpreter and script
            [
                str(settings.PLACEWISE_DFE_PYTHON),
                str(RUNNER),
                format,
                year or collection_year(),
                *map(str, paths),
            ],
            stdout=self._out,
            stderr=self._err,
            text=True,
        )

    def findings(self) -> list[Issue]:
        """Wait for the run and return its findings as issues."""
        try:
            return self._findings()
        finally:
            self._out.close()
            self._err.close()

    def _findings(self) -> list[Issue]:
        try:
            code = self._process.wait(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
            return [
                Issue(
                    "the DfE validator took too long and was stopped", None, None, "warning", "dfe"
                )
            ]
        self._out.seek(0)
        self._err.seek(0)
        if code != 0:
            last = (self._err.read().strip().splitlines() or ["no message"])[-1]
            return [
                Issue(
                    f"the DfE validator could not check this file: {last}",
                    None,
                    None,
                    "warning",
                    "dfe",
                )
            ]
        return [
            Issue(
                f"{f['message']} (child {f['child']})" if f["child"] else f["message"],
                # The 903 validator counts a CSV's data rows from 0; people count the header
                # as row 1. The CIN validator's rows are its own tables': the child ID locates it.
                f["row"] + 2 if f["row"] is not None and self.format == "ssda903" else None,
                f["columns"],
                "query",
                f"DfE {f['rule']}|{TABLE_NAMES.get(f['table'], f['table'])}",
            )
            for f in json.load(self._out)
        ]


def validate(format: str, paths: list[Path], year: str | None = None) -> list[Issue]:
    """DfE findings for SSDA903 tables or a CIN census; nothing for other formats."""
    if format not in {"ssda903", "cin_census"}:
        return []
    return Run(format, paths, year).findings()


# The 903 validator's table names → placewise's (the CSV file's table).
TABLE_NAMES = {
    "Header": "header",
    "Episodes": "episodes",
    "Reviews": "reviews",
    "UASC": "uasc",
    "OC2": "oc2",
    "OC3": "oc3",
    "AD1": "ad1",
    "PlacedAdoption": "placed_for_adoption",
    "PrevPerm": "previous_permanence",
    "Missing": "missing",
    "SWEpisodes": "sw_episodes",
    "DoLo": "dolo",
}


def split_by_table(findings: list[Issue]) -> dict[str, list[Issue]]:
    """Findings from one run over several 903 tables, per table, with the rule code cleaned."""
    tables: dict[str, list[Issue]] = {}
    for finding in findings:
        rule, _, table = finding.rule.partition("|")
        finding.rule = rule
        tables.setdefault(table, []).append(finding)
    return tables
