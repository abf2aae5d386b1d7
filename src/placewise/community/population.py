"""Reading a population table the place loads: an ONS-style CSV with one row a group.

    dimension,group,observation
    ethnicity,Asian,150
    sex,Female,510

`dimension` is one of community.models.Dimension's values, `group` the group's name as sessions
record it, `observation` the number of people. A file with any fault is refused whole, each fault
named by row, column and reason; nothing is loaded from it."""

import csv
import io
from dataclasses import dataclass

from placewise.community.models import Dimension

COLUMNS = ("dimension", "group", "observation")
MAX_ROWS = 5000


@dataclass(frozen=True)
class Fault:
    row: int  # the file's line number (the header is row 1)
    column: str
    reason: str

    def __str__(self) -> str:
        return f"Row {self.row}, column '{self.column}': {self.reason}"


class PopulationFileError(Exception):
    def __init__(self, faults: list[Fault]) -> None:
        self.faults = faults
        super().__init__("; ".join(str(f) for f in faults))


def read(text: str) -> list[tuple[str, str, int]]:
    """(dimension, group, count) rows, or PopulationFileError naming every fault."""
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    if tuple(header) != COLUMNS:
        raise PopulationFileError(
            [
                Fault(
                    1,
                    ",".join(header) or "(none)",
                    f"the first row must name the columns {', '.join(COLUMNS)}",
                )
            ]
        )
    faults: list[Fault] = []
    rows: list[tuple[str, str, int]] = []
    seen: dict[tuple[str, str], int] = {}
    for number, cells in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            faults.append(Fault(number, "dimension", f"a table has at most {MAX_ROWS} rows"))
            break
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(COLUMNS):
            faults.append(
                Fault(number, "dimension", f"has {len(cells)} values, not {len(COLUMNS)}")
            )
            continue
        dimension, group, observation = (c.strip() for c in cells)
        if dimension not in Dimension.values:
            faults.append(
                Fault(
                    number,
                    "dimension",
                    f"'{dimension[:40]}' is not one of {', '.join(Dimension.values)}",
                )
            )
        if not group:
            faults.append(Fault(number, "group", "is empty"))
        elif len(group) > 100:
            faults.append(Fault(number, "group", "is longer than 100 characters"))
        if not observation.isdigit():
            faults.append(
                Fault(number, "observation", f"'{observation[:20]}' is not a whole number")
            )
        key = (dimension, group)
        if group and key in seen:
            faults.append(
                Fault(number, "group", f"'{group}' is already counted in row {seen[key]}")
            )
        seen.setdefault(key, number)
        if not faults or faults[-1].row != number:
            rows.append((dimension, group, int(observation)))
    if not faults and not rows:
        faults.append(Fault(2, "dimension", "the file has no rows of figures"))
    if faults:
        raise PopulationFileError(faults)
    return rows
