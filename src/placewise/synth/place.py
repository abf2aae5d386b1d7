"""`placewise synth`: a whole fictional place, written in the real formats, with its ground truth.

Same seed, same bytes: every random choice comes from one seeded generator, in a fixed order.
"""

import csv
import json
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol, TypeVar

from placewise.synth import annex_a, case_system, cin_census, partners, ssda903
from placewise.synth.council import CouncilRecords
from placewise.synth.journeys import Journey, Service, Signal, team_signals
from placewise.synth.noise import Noise
from placewise.synth.people import make_child

T = TypeVar("T")


class Progress(Protocol):
    """Wraps each stage's items to show progress (a tqdm bar on the command line), yielding them."""

    def __call__(self, items: Iterable[T], label: str, total: int) -> Iterable[T]: ...


NOISE_LEVELS = {"none": 0.0, "default": 1.0, "heavy": 4.0}


@dataclass(frozen=True)
class Summary:
    children: int
    council_children: int
    files: dict[str, int]  # file → data rows


def _quiet(items: Iterable[T], label: str, total: int) -> Iterable[T]:
    return items


def generate(
    out: Path,
    *,
    children: int,
    years: int,
    seed: int,
    noise: str = "default",
    council_source: str = "council_csc",
    council_organisation: str = "Northshire Council Children's Services",
    reference: date = date(2026, 3, 31),
    progress: Progress = _quiet,
    signals: bool = True,
) -> Summary:
    """Write the place to `out`: council/, partners/ and _truth/. Without `signals`, a control
    place: the same place with no step change or trend hidden in it."""
    rng = random.Random(seed)
    level = Noise().scaled(NOISE_LEVELS[noise])
    end = reference
    start = (
        date(end.year - years, end.month, end.day + 1 if end.day < 28 else 1)
        if end.month != 3
        else date(end.year - years, 4, 1)
    )
    months = years * 12
    # Drawn either way, so that a control place is otherwise the same place.
    drawn = team_signals(rng, start, months)
    hidden = drawn if signals else []
    service = Service(rng, start, end, hidden)
    people = [
        make_child(rng, n, start, end)
        for n in progress(range(1, children + 1), "children", children)
    ]
    journeys: list[Journey] = []
    for child in progress(people, "journeys", children):
        journey = service.journey(child, f"CH{len(journeys) + 100001:06d}")
        if journey is not None:
            journeys.append(journey)
    out.mkdir(parents=True, exist_ok=True)
    (out / "council").mkdir(exist_ok=True)
    truth: list[tuple[str, str, str]] = [
        (council_source, j.council_id, j.child.person_id) for j in journeys
    ]
    records = CouncilRecords(rng, journeys, level)
    steps: list[tuple[str, Callable[[], None]]] = [
        (
            "Annex A",
            lambda: annex_a.write_annex_a(out / "council" / "annex_a.xlsx", records, rng, end),
        ),
        ("SSDA903", lambda: ssda903.write_ssda903(out / "council" / "ssda903", records)),
        (
            "case system extract",
            lambda: case_system.write_case_system_extract(
                out / "council" / "case_system_people.csv",
                records,
                source=council_source,
                organisation=council_organisation,
            ),
        ),
        (
            "return interviews",
            lambda: case_system.write_return_interviews(
                out / "council" / "case_system_return_interviews.csv",
                records,
                source=council_source,
                organisation=council_organisation,
            ),
        ),
        (
            "CIN census",
            lambda: cin_census.write_cin_census(out / "council" / "cin_census.xml", records, end),
        ),
        (
            "partners",
            lambda: partners.PartnerWriter(
                out / "partners", rng, level, start, end, truth
            ).write_all(people, {j.child.person_id: j for j in journeys}),
        ),
    ]
    for _, step in progress(steps, "files", len(steps)):
        step()
    _write_population(
        out / "population.csv", [p.identity.date_of_birth for p in people], start, end
    )
    _write_truth(
        out / "_truth",
        truth,
        hidden,
        seed=seed,
        children=children,
        years=years,
        noise=noise,
        start=start,
        end=end,
    )
    return Summary(
        children,
        len(journeys),
        {
            str(p.relative_to(out)): _rows(p)
            for p in sorted(out.rglob("*.csv"))
            if "_truth" not in p.parts
        },
    )


def _write_population(path: Path, births: list[date], start: date, end: date) -> None:
    """Children aged 0 to 17 at 30 June each year: every synthetic child is one of the place's
    children (most never reach children's services), so this is the place's population, for
    rates per 10,000 as ONS mid-year estimates give them."""
    lines = ["year,children"]
    for year in range(start.year, end.year + 1):
        mid = date(year, 6, 30)
        aged = sum(
            1
            for b in births
            if b <= mid and (mid.year - b.year - ((mid.month, mid.day) < (b.month, b.day))) < 18
        )
        lines.append(f"{year},{aged}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _rows(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _ in handle) - 1


def _write_truth(
    folder: Path, truth: list[tuple[str, str, str]], signals: list[Signal], **about: object
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "persons.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["source", "record_id", "person_id"])
        writer.writerows(sorted(set(truth)))
    with (folder / "signals.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["team", "measure", "kind", "start_month", "description"])
        for s in signals:
            writer.writerow(
                [
                    s.team,
                    s.measure,
                    s.kind,
                    s.start_month.isoformat(),
                    s.description,
                ]
            )
    (folder / "about.json").write_text(
        json.dumps(
            {k: (v.isoformat() if isinstance(v, date) else v) for k, v in about.items()},
            indent=2,
            sort_keys=True,
        )
        + "\n",
        encoding="utf-8",
    )


def council_files(out: Path) -> Iterator[Path]:
    """The files of a synthetic place in the order a council would load them."""
    yield out / "council" / "annex_a.xlsx"
    yield out / "council" / "cin_census.xml"
    yield out / "council" / "case_system_people.csv"
    yield out / "council" / "case_system_return_interviews.csv"
    yield from sorted((out / "council" / "ssda903").glob("*.csv"))
    yield from sorted((out / "partners").glob("*.csv"))
